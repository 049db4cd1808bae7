package io.wacast.console.client;

import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * The campaign-service's contact book, audiences and recurring campaigns, as the console uses them
 * (the same upstream and key handling as {@link CampaignApi}).
 */
@RegisterRestClient(configKey = "campaign")
@RegisterClientHeaders(OperatorHeaders.class)
@Path("/api/whatsapp")
@Produces(MediaType.APPLICATION_JSON)
public interface AudienceApi {

    record OptIn(String source, Instant at, String evidence) {
    }

    record OptOutFact(String source, Instant at, String reason) {
    }

    record Consent(String status, OptIn optIn, OptOutFact optOut) {
    }

    record Contact(long id, String phoneNumber, String bsuid, String name, String language, String country,
            Map<String, String> attributes, List<String> tags, Consent consent, Instant createdAt, Instant updatedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Tags(List<String> all, List<String> any, List<String> none) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Attribute(String name, String op, String value, List<String> values) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record ConsentFilter(String status, List<String> sources) {
    }

    record RecipientsOf(Long campaignId, List<String> statuses) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Filter(Tags tags, List<Attribute> attributes, List<String> countries, ConsentFilter consent,
            List<RecipientsOf> recipientsOf, Integer notMessagedInDays) {
    }

    record Audience(long id, String name, String description, Filter filter, long version, Instant createdAt,
            Instant updatedAt) {
    }

    record AudienceRequest(String name, String description, Filter filter) {
    }

    record FilterRequest(Filter filter) {
    }

    record Count(Long audienceId, long contacts, Instant countedAt) {
    }

    record Series(long id, String name, String description, long audienceId, String templateName, String templateLanguage,
            Map<String, String> templateVariables, Map<String, String> variables, String phoneNumberId, Integer rateLimit,
            String schedule, String timeZone, Instant startsAt, LocalDate endsOn, Integer maxOccurrences,
            int minIntervalHours, String status, Instant nextOccurrenceAt, int occurrences, List<Instant> upcoming,
            Instant createdAt, Instant updatedAt) {

        public boolean mayPause() {
            return "active".equals(status);
        }

        public boolean mayResume() {
            return "paused".equals(status);
        }

        /** Active or paused: its settings can be changed; an ended series cannot. */
        public boolean mayEdit() {
            return mayPause() || mayResume();
        }

        /** When the series stops by itself, in words. */
        public String ending() {
            if (endsOn == null && maxOccurrences == null) {
                return "never";
            }
            String date = endsOn == null ? null : "after " + io.wacast.console.view.Formats.day(endsOn);
            String count = maxOccurrences == null ? null : "after " + maxOccurrences + " occurrences";
            return date == null ? count : count == null ? date : date + " or " + count + ", whichever comes first";
        }
    }

    /** {@code POST /series}'s rule: either cron, or days and times (campaign-service {@code SeriesService.ScheduleSpec}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ScheduleRequest(String cron, List<String> days, List<String> times) {
    }

    /** What {@code POST /series} and {@code PUT /series/{id}} take (campaign-service {@code SeriesService.SeriesSpec}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SeriesRequest(String name, String description, Long audienceId, String templateName, String templateLanguage,
            Map<String, String> templateVariables, Map<String, String> variables, String phoneNumberId, Integer rateLimit,
            ScheduleRequest schedule, String timeZone, OffsetDateTime startsAt, String endsOn,
            Integer maxOccurrences, Integer minIntervalHours) {
    }

    /** The audience a campaign targets (campaign-service {@code CampaignAudienceResource.TargetView}). */
    record Target(long campaignId, long audienceId, Map<String, String> variables, Instant snapshotAt, Snapshot snapshot) {
    }

    record Snapshot(long matched, long added, long suppressed, long noOptIn, long missingVariables, long invalidVariables,
            long alreadyRecipients, long recentlyMessaged) {
    }

    /** {@code PUT /campaigns/{id}/audience}: the audience and template key → contact attribute name. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record TargetRequest(Long audienceId, Map<String, String> variables) {
    }

    record Occurrence(long seriesId, Instant occurrenceAt, String outcome, Long campaignId, String reason, Instant createdAt) {
    }

    @GET
    @Path("/contacts")
    Page<Contact> contacts(@QueryParam("page") int page, @QueryParam("size") int size, @QueryParam("tag") List<String> tags,
            @QueryParam("country") String country, @QueryParam("consent") String consent,
            @QueryParam("attribute") List<String> attributes);

    @GET
    @Path("/contacts/{phone}")
    Contact contact(@PathParam("phone") String phone);

    @POST
    @Path("/contacts/import")
    @Consumes(CampaignApi.CSV)
    CampaignApi.Report importContacts(@QueryParam("consented") boolean consented, @QueryParam("evidence") String evidence,
            InputStream csv);

    @GET
    @Path("/audiences")
    Page<Audience> audiences(@QueryParam("page") int page, @QueryParam("size") int size);

    @GET
    @Path("/audiences/{id}")
    Audience audience(@PathParam("id") long id);

    @POST
    @Path("/audiences")
    @Consumes(MediaType.APPLICATION_JSON)
    Audience createAudience(AudienceRequest request);

    @PUT
    @Path("/audiences/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Audience updateAudience(@PathParam("id") long id, AudienceRequest request);

    @GET
    @Path("/audiences/{id}/count")
    Count count(@PathParam("id") long id);

    @POST
    @Path("/audiences/count")
    @Consumes(MediaType.APPLICATION_JSON)
    Count preview(FilterRequest filter);

    @GET
    @Path("/series")
    Page<Series> series(@QueryParam("page") int page, @QueryParam("size") int size);

    @GET
    @Path("/series/{id}")
    Series oneSeries(@PathParam("id") long id);

    @GET
    @Path("/series/{id}/occurrences")
    Page<Occurrence> occurrences(@PathParam("id") long id, @QueryParam("page") int page, @QueryParam("size") int size);

    @POST
    @Path("/series")
    @Consumes(MediaType.APPLICATION_JSON)
    Series createSeries(SeriesRequest request);

    /** Replaces the settings of a series that has not ended (409 once it has). */
    @PUT
    @Path("/series/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Series updateSeries(@PathParam("id") long id, SeriesRequest request);

    @GET
    @Path("/campaigns/{id}/audience")
    Target targetOf(@PathParam("id") long campaignId);

    @PUT
    @Path("/campaigns/{id}/audience")
    @Consumes(MediaType.APPLICATION_JSON)
    Target target(@PathParam("id") long campaignId, TargetRequest request);

    @DELETE
    @Path("/campaigns/{id}/audience")
    void untarget(@PathParam("id") long campaignId);

    /** {@code action}: pause, resume or end. */
    @POST
    @Path("/series/{id}/{action}")
    Series actOnSeries(@PathParam("id") long id, @PathParam("action") String action);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return response.getStatus() >= 400 ? Upstreams.problem(response) : null;
    }
}
