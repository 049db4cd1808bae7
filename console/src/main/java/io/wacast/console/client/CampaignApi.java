package io.wacast.console.client;

import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
 * The campaign-service's public operator API ({@code /api/whatsapp}), as the console uses it. Every
 * call carries the signed-in operator's key ({@link OperatorHeaders}); an error answer becomes an
 * {@link UpstreamException}, an unreachable service a {@code ProcessingException}.
 */
@RegisterRestClient(configKey = "campaign")
@RegisterClientHeaders(OperatorHeaders.class)
@Path("/api/whatsapp")
@Produces(MediaType.APPLICATION_JSON)
public interface CampaignApi {

    String CSV = "text/csv";

    record Me(String name, String role) {
    }

    record SendWindow(Integer startHour, Integer endHour, String timeZone) {
    }

    record Report(long accepted, long duplicates, long optedOut, long rejectedCount, List<Rejection> rejected) {
    }

    record Rejection(int row, String field, String reason, String value) {
    }

    record Campaign(long id, String name, String description, String status, String statusReason, String templateName,
            String templateLanguage, Map<String, String> templateVariables, String phoneNumberId, int rateLimit,
            SendWindow sendWindow, Instant scheduledFor, Instant createdAt, Instant updatedAt, Instant startedAt,
            Instant completedAt, long version, Report recipients) {

        public boolean isEditable() {
            return "draft".equals(status) || "scheduled".equals(status);
        }

        public boolean isRunning() {
            return "sending".equals(status) || "paused".equals(status) || "scheduled".equals(status);
        }

        public boolean maySend() {
            return "draft".equals(status) || "scheduled".equals(status);
        }

        public boolean mayPause() {
            return "sending".equals(status);
        }

        public boolean mayResume() {
            return "paused".equals(status);
        }

        public boolean mayCancel() {
            return !"completed".equals(status) && !"cancelled".equals(status);
        }

        /** Whether it has sent (or begun to): a follow-up of its recipients' outcomes can be made. */
        public boolean mayFollowUp() {
            return !isEditable();
        }
    }

    /** What POST and PUT take; a PUT replaces every field. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CampaignSpec(String name, String description, String templateName, String templateLanguage,
            Map<String, String> templateVariables, String phoneNumberId, Integer rateLimit, SendWindow sendWindow,
            OffsetDateTime scheduledFor) {
    }

    /** {@code replies}: inbound messages credited; {@code orders}: orders credited; {@code converted}: recipients who ordered. */
    record Counts(long total, long pending, long queued, long sent, long delivered, long read, long failed, long optedOut,
            long responded, long unknown, long resentUnknown, long keptUnknown, long cancelled, long replies, long orders,
            long converted) {
    }

    record Rates(double deliveryRate, double readRate, double responseRate, double failureRate, double conversionRate) {
    }

    record Metrics(String deliveryRate, String readRate, String responseRate, String failureRate, String conversionRate,
            Rates values) {
    }

    record ErrorLine(int code, long count, String meaning) {
    }

    record TimelineBucket(Instant minute, long sent, long delivered, long read, long failed) {
    }

    record SampleFailure(long recipientId, String phoneNumber, Integer code, String message, Instant at) {
    }

    record Progress(long done, long remaining, Long etaSeconds) {
    }

    record CampaignRef(long id, String name, String status) {
    }

    /**
     * @param replies inbound messages credited, by kind (text, button, interactive, media, …)
     * @param buttons quick-reply presses by payload
     * @param revenue credited orders' value per currency, in minor units
     */
    record Stats(CampaignRef campaign, Counts stats, Metrics metrics, List<ErrorLine> errorBreakdown,
            List<TimelineBucket> timeline, List<SampleFailure> sampleFailures, Progress progress,
            Map<String, Long> replies, Map<String, Long> buttons, Map<String, Long> revenue, Instant generatedAt,
            Pacing pacing, Charges charges) {
    }

    /** Messages Meta accepted but held by template pacing, by the status of its answer (also in {@code sent}). */
    record Pacing(long heldForQualityAssessment, long paused) {
    }

    /**
     * What Meta charges for, as its status webhooks' pricing says: messages by category and their cost
     * from the rate card ({@code rateCard} names it).
     */
    record Charges(long messages, Map<String, Long> byCategory, List<Amount> cost, String rateCard) {
    }

    record Amount(String currency, java.math.BigDecimal amount) {
    }

    /** {@code POST /campaigns/{id}/follow-ups}: a draft of this campaign's recipients in one outcome. */
    record FollowUpRequest(String outcome, String payload, Integer afterHours) {
    }

    record FollowUpSkipped(long suppressed, long alreadyInFollowUp, long notRetryable, long tooRecent,
            long missingVariables) {
    }

    record FollowUpRecipients(long added, FollowUpSkipped skipped) {
    }

    record FollowUpCreated(Campaign campaign, FollowUpRecipients recipients) {
    }

    record Button(String type, String text, String url, boolean parameter) {
    }

    /**
     * @param statusReason Meta's reason for the last status change (its webhook), if any
     * @param quality Meta's quality score (green, yellow, red, unknown); null until Meta rated it
     * @param upcomingCategory a category change Meta announced, effective at {@code upcomingCategoryAt}
     */
    record Template(long id, String name, String language, String category, String status, String statusReason,
            Instant statusChangedAt, String quality, Instant qualityChangedAt, String upcomingCategory,
            Instant upcomingCategoryAt, String metaTemplateId, String headerType, String headerText, String body,
            String footer, List<Button> buttons, List<String> variables, Instant createdAt, Instant updatedAt) {
    }

    /** What one sync with Meta's template list did. */
    record TemplateSyncReport(int pages, int fetched, int created, int updated, int unchanged, List<Object> skipped,
            Instant at) {
    }

    /** A business number as configured and as Meta's webhooks last described it ({@code GET /numbers}). */
    record BusinessNumber(String phoneNumberId, String displayPhoneNumber, String wabaId, int capPerSecond,
            String lastEvent, boolean flagged, boolean throughputUpgraded, String currentLimit, Instant eventAt,
            Instant updatedAt, String accessTokenRef, boolean registered) {
    }

    record Restriction(String type, String expiration) {
    }

    /** A business portfolio (WABA): its messaging limit and what stops it sending. */
    record Portfolio(String wabaId, Long messagingLimit, boolean unlimited, Instant messagingLimitAt,
            List<Restriction> restrictions, String banState, boolean blocked, String blockedReason, Instant accountAt,
            Instant updatedAt) {
    }

    record Numbers(List<BusinessNumber> numbers, List<Portfolio> portfolios) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TemplateRequest(String name, String language, String category, String status, String headerType,
            String headerText, String body, String footer, List<Button> buttons) {
    }

    record Recipient(long id, String phoneNumber, String name, Map<String, String> variables, String status,
            String wamid, Integer lastErrorCode, String lastErrorMessage, Instant createdAt, Instant updatedAt) {
    }

    record RenderedHeader(String type, String text, String link) {
    }

    record RenderedButton(String type, String text, String url, String payload) {
    }

    /** A template message with every placeholder filled in: what the recipient's phone shows. */
    record RenderedMessage(RenderedHeader header, String body, List<RenderedButton> buttons) {
    }

    record Preview(long recipientId, String to, String templateName, String templateLanguage,
            Map<String, String> variables, RenderedMessage message) {
    }

    /**
     * One suppression entry: of a number, or of a user Meta names only by BSUID ({@code phoneNumber} null);
     * {@link #entry()} is what {@code DELETE /opt-outs/{…}} lifts.
     */
    record OptOut(long id, String phoneNumber, String bsuid, String source, String reason, Instant createdAt) {

        public String entry() {
            return phoneNumber != null ? phoneNumber : bsuid;
        }
    }

    record OptOutRequest(String phoneNumber, String reason) {
    }

    /** {@code state}: active, expired or revoked; {@code rotatedFrom}: the key this one replaced. */
    record ApiKey(long id, String name, String role, String state, Instant createdAt, String createdBy,
            Instant expiresAt, Instant revokedAt, String revokedBy, Long rotatedFrom, String key) {
    }

    record ApiKeyRequest(String name, String role, Instant expiresAt) {
    }

    record RotateRequest(Integer graceHours, Instant expiresAt) {
    }

    /** One operator change in any service (campaign-service {@code AuditRepository.AuditEntry}). */
    record AuditEntry(long id, String service, Instant at, String actor, Long actorKeyId, String actorRole,
            String clientAddress, String method, String path, int status) {
    }

    /** The pre-flight plan of a campaign (campaign-service {@code CampaignPlan}); see its javadoc for each field. */
    record Plan(long campaignId, PlanRecipients recipients, PlanTemplate template, PlanDuration duration,
            PlanLimit messagingLimit, PlanCost cost, List<String> warnings, Instant generatedAt) {
    }

    record PlanRecipients(long pending, long willSend, PlanExcluded excluded) {
    }

    record PlanExcluded(long optedOut, long noMarketingOptIn, long blockedCountry, long usMarketing, long missingVariables) {

        public long total() {
            return optedOut + noMarketingOptIn + blockedCountry + usMarketing + missingVariables;
        }
    }

    record PlanTemplate(String name, String language, String status, String category, boolean usable, Instant createdAt) {
    }

    record PlanDay(java.time.LocalDate date, long messages, Instant firstSend, Instant lastSend) {
    }

    record PlanDuration(double perSecond, int numberCapPerSecond, long otherSendingCampaigns, long messages, Instant start,
            Instant end, long seconds, List<PlanDay> days) {
    }

    record PlanSplit(long recipientsPerDay, long days) {
    }

    record PlanLimit(Long tier, long reachedLast24h, boolean fits, Instant wouldHitLimitAt, PlanSplit suggestedSplit) {
    }

    record PlanCountry(String country, long recipients, java.math.BigDecimal unitPrice, String currency,
            java.math.BigDecimal subtotal, java.time.LocalDate validFrom, boolean restOfWorld) {
    }

    record PlanTotal(String currency, java.math.BigDecimal amount) {
    }

    record PlanCost(String category, String rateCard, List<PlanCountry> countries, List<PlanTotal> totals) {
    }

    @GET
    @Path("/campaigns/{id}/plan")
    Plan plan(@PathParam("id") long id);

    @POST
    @Path("/campaigns/{id}/follow-ups")
    @Consumes(MediaType.APPLICATION_JSON)
    FollowUpCreated followUp(@PathParam("id") long id, FollowUpRequest request);

    @GET
    @Path("/me")
    Me me(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/campaigns")
    Page<Campaign> campaigns(@QueryParam("page") int page, @QueryParam("size") int size,
            @QueryParam("status") String status, @QueryParam("search") String search);

    @GET
    @Path("/campaigns/{id}")
    Campaign campaign(@PathParam("id") long id);

    @POST
    @Path("/campaigns")
    @Consumes(MediaType.APPLICATION_JSON)
    Campaign create(CampaignSpec spec);

    @PUT
    @Path("/campaigns/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Campaign update(@PathParam("id") long id, CampaignSpec spec);

    @DELETE
    @Path("/campaigns/{id}")
    void delete(@PathParam("id") long id);

    /** {@code action}: send, pause, resume or cancel. */
    @POST
    @Path("/campaigns/{id}/{action}")
    Campaign act(@PathParam("id") long id, @PathParam("action") String action);

    @GET
    @Path("/campaigns/{id}/stats")
    Stats stats(@PathParam("id") long id);

    @POST
    @Path("/campaigns/{id}/recipients")
    @Consumes(CSV)
    Report uploadCsv(@PathParam("id") long id, InputStream csv);

    record RecipientSpec(String phoneNumber, String name, Map<String, String> variables) {
    }

    @POST
    @Path("/campaigns/{id}/recipients")
    @Consumes(MediaType.APPLICATION_JSON)
    Report addRecipients(@PathParam("id") long id, List<RecipientSpec> recipients);

    @GET
    @Path("/campaigns/{id}/recipients")
    Page<Recipient> recipients(@PathParam("id") long id, @QueryParam("page") int page, @QueryParam("size") int size,
            @QueryParam("status") String status, @QueryParam("phone") String phone);

    @GET
    @Path("/campaigns/{id}/recipients/{rid}/preview")
    Preview preview(@PathParam("id") long id, @PathParam("rid") long recipientId);

    @GET
    @Path("/templates")
    List<Template> templates(@QueryParam("status") String status);

    @POST
    @Path("/templates")
    @Consumes(MediaType.APPLICATION_JSON)
    Template registerTemplate(TemplateRequest template);

    @POST
    @Path("/templates/sync")
    TemplateSyncReport syncTemplates();

    @GET
    @Path("/numbers")
    Numbers numbers();

    @GET
    @Path("/opt-outs")
    Page<OptOut> optOuts(@QueryParam("page") int page, @QueryParam("size") int size);

    @POST
    @Path("/opt-outs")
    @Consumes(MediaType.APPLICATION_JSON)
    OptOut addOptOut(OptOutRequest request);

    @DELETE
    /** Lifts the entry of a number, or of a BSUID. */
    @Path("/opt-outs/{entry}")
    void removeOptOut(@PathParam("entry") String entry);

    @GET
    @Path("/api-keys")
    List<ApiKey> apiKeys();

    @GET
    @Path("/audit-log")
    Page<AuditEntry> auditLog(@QueryParam("service") String service, @QueryParam("actor") String actor,
            @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("page") int page,
            @QueryParam("size") int size);

    @POST
    @Path("/api-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    ApiKey createApiKey(ApiKeyRequest request);

    @POST
    @Path("/api-keys/{id}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    ApiKey rotateApiKey(@PathParam("id") long id, RotateRequest request);

    @DELETE
    @Path("/api-keys/{id}")
    void revokeApiKey(@PathParam("id") long id);

    @GET
    @Path("/templates/{id}")
    Template template(@PathParam("id") long id);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return response.getStatus() >= 400 ? Upstreams.problem(response) : null;
    }
}
