package io.wacast.console.rest;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.AudienceApi;
import io.wacast.console.client.CampaignApi;
import io.wacast.console.client.CampaignApi.Campaign;
import io.wacast.console.client.CampaignApi.CampaignSpec;
import io.wacast.console.client.CampaignApi.Template;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.session.CurrentOperator;
import io.wacast.console.view.Banner;
import io.wacast.console.view.Notices;
import io.wacast.console.view.WizardForm;

/**
 * The new-campaign wizard: (1) details and template with a live preview, (2) audience from a CSV or
 * pasted numbers, (3) schedule, window and rate, (4) review and confirm. Step 1 creates a draft in the
 * campaign-service, so every later step works on a real campaign and going back loses nothing; only
 * the confirmation sends it or schedules it.
 */
@Path("/campaigns")
@Produces(MediaType.TEXT_HTML)
public class WizardPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance details(String nav, String step, Campaign campaign, WizardForm form,
                List<Template> templates, String templatesJson, UpstreamException errors, String notice, Banner problem);

        static native TemplateInstance audience(String nav, String step, Campaign campaign, long recipients,
                CampaignApi.Report report, String rejectedCsv, String pasted, String notice, Banner problem, String csvHeader,
                AudienceChoice saved);

        static native TemplateInstance audience$report(Campaign campaign, CampaignApi.Report report, String rejectedCsv,
                long recipients);

        static native TemplateInstance refused(Banner problem, UpstreamException errors);

        static native TemplateInstance schedule(String nav, String step, Campaign campaign, WizardForm.Schedule form,
                UpstreamException errors, String formError, Banner problem);

        static native TemplateInstance review(String nav, String step, Campaign campaign, long recipients,
                CampaignApi.Preview sample, WizardForm.Estimate estimate, CampaignApi.Plan plan, String at, Banner problem);
    }

    @RestClient
    CampaignApi campaigns;

    @RestClient
    AudienceApi audienceApi;

    private final CurrentOperator operator;
    private final ObjectMapper json;

    WizardPage(CurrentOperator operator, ObjectMapper json) {
        this.operator = operator;
        this.json = json;
    }

    // ---- step 1: details and template ------------------------------------------------------------

    @GET
    @Path("new")
    public Response start() {
        return details(200, null, WizardForm.empty(), null, null);
    }

    @GET
    @Path("{id: \\d+}/wizard/details")
    public Response edit(@PathParam("id") long id) {
        try {
            Campaign campaign = campaigns.campaign(id);
            return details(200, campaign, WizardForm.of(campaign), null, null);
        } catch (UpstreamException | ProcessingException e) {
            return details(Pages.statusFor(e), null, WizardForm.empty(), null, Banner.of(e, "The campaign service"));
        }
    }

    @POST
    @Path("new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> fields) {
        WizardForm form = WizardForm.from(fields);
        try {
            Campaign created = campaigns.create(form.spec(null));
            return Response.seeOther(URI.create("/campaigns/" + created.id() + "/wizard/audience")).build();
        } catch (UpstreamException e) {
            return details(e.status() < 500 ? e.status() : 502, null, form, e, e.errors().isEmpty() ? Banner.of(e) : null);
        } catch (ProcessingException e) {
            return details(502, null, form, null, Banner.unreachable("The campaign service"));
        }
    }

    @POST
    @Path("{id: \\d+}/wizard/details")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveDetails(@PathParam("id") long id, MultivaluedMap<String, String> fields) {
        WizardForm form = WizardForm.from(fields);
        Campaign campaign = null;
        try {
            campaign = campaigns.campaign(id);
            campaigns.update(id, form.spec(campaign));
            return Response.seeOther(URI.create("/campaigns/" + id + "/wizard/audience")).build();
        } catch (UpstreamException e) {
            return details(e.status() < 500 ? e.status() : 502, campaign, form, e, e.errors().isEmpty() ? Banner.of(e) : null);
        } catch (ProcessingException e) {
            return details(502, campaign, form, null, Banner.unreachable("The campaign service"));
        }
    }

    private Response details(int status, Campaign campaign, WizardForm form, UpstreamException errors, Banner problem) {
        List<Template> templates = List.of();
        try {
            templates = campaigns.templates(null);
        } catch (UpstreamException | ProcessingException e) {
            problem = problem != null ? problem : Banner.of(e, "The campaign service");
        }
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.details("new", "details", campaign, form, templates, templatesJson(templates), errors,
                        null, problem))
                .build();
    }

    // ---- step 2: audience ------------------------------------------------------------------------

    @GET
    @Path("{id: \\d+}/wizard/audience")
    public Response audience(@PathParam("id") long id, @QueryParam("notice") String notice) {
        try {
            Campaign campaign = campaigns.campaign(id);
            return Response.ok(Templates.audience("new", "audience", campaign, recipients(id), null, null, null,
                    Notices.text(notice), null, csvHeader(campaign), saved(campaign, null))).build();
        } catch (UpstreamException | ProcessingException e) {
            return Response.status(Pages.statusFor(e)).type(MediaType.TEXT_HTML_TYPE)
                    .entity(CampaignPage.Templates.unavailable("new", Banner.of(e, "The campaign service"))).build();
        }
    }

    /** The CSV as the browser sends it (a script posts the file with an upload progress bar). */
    @POST
    @Path("{id: \\d+}/wizard/upload")
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    public Response upload(@PathParam("id") long id, InputStream csv) {
        try {
            CampaignApi.Report report = campaigns.uploadCsv(id, csv);
            Campaign campaign = campaigns.campaign(id);
            return Response.ok(Templates.audience$report(campaign, report, rejectedCsv(report), recipients(id))).build();
        } catch (UpstreamException e) {
            return Response.status(e.status() < 500 ? e.status() : 502).type(MediaType.TEXT_HTML_TYPE)
                    .entity(Templates.refused(Banner.of(e), e)).build();
        } catch (ProcessingException e) {
            return Response.status(502).type(MediaType.TEXT_HTML_TYPE)
                    .entity(Templates.refused(Banner.unreachable("The campaign service"), null)).build();
        }
    }

    /** Numbers pasted one per line (or separated by commas or spaces), sent as a one-column CSV. */
    @POST
    @Path("{id: \\d+}/wizard/paste")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response paste(@PathParam("id") long id, MultivaluedMap<String, String> fields) {
        String pasted = fields.getFirst("numbers") == null ? "" : fields.getFirst("numbers");
        Campaign campaign;
        try {
            campaign = campaigns.campaign(id);
        } catch (UpstreamException | ProcessingException e) {
            return Response.status(Pages.statusFor(e)).type(MediaType.TEXT_HTML_TYPE)
                    .entity(CampaignPage.Templates.unavailable("new", Banner.of(e, "The campaign service"))).build();
        }
        List<String> numbers = WizardForm.numbers(pasted);
        if (numbers.isEmpty()) {
            return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(Templates.audience("new", "audience", campaign,
                    recipients(id), null, null, pasted, null,
                    new Banner("Nothing to add.", "Paste phone numbers in international format, one per line."), csvHeader(campaign), saved(campaign, null))).build();
        }
        try {
            CampaignApi.Report report = campaigns.addRecipients(id,
                    numbers.stream().map(n -> new CampaignApi.RecipientSpec(n, null, null)).toList());
            return Response.ok(Templates.audience("new", "audience", campaign, recipients(id), report, rejectedCsv(report),
                    null, null, null, csvHeader(campaign), saved(campaign, null))).build();
        } catch (UpstreamException | ProcessingException e) {
            return Response.status(Pages.statusFor(e)).type(MediaType.TEXT_HTML_TYPE).entity(Templates.audience("new", "audience",
                    campaign, recipients(id), null, null, pasted, null, Banner.of(e, "The campaign service"), csvHeader(campaign), saved(campaign, null))).build();
        }
    }

    /**
     * The saved audience the campaign targets, instead of or besides its uploaded recipients: its
     * contacts become recipients when the campaign starts; {@code attr.<key>} names the contact
     * attribute a template variable comes from (campaign-service {@code PUT /campaigns/{id}/audience}).
     */
    @POST
    @Path("{id: \\d+}/wizard/target")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response target(@PathParam("id") long id, MultivaluedMap<String, String> fields) {
        Campaign campaign;
        try {
            campaign = campaigns.campaign(id);
        } catch (UpstreamException | ProcessingException e) {
            return Response.status(Pages.statusFor(e)).type(MediaType.TEXT_HTML_TYPE)
                    .entity(CampaignPage.Templates.unavailable("new", Banner.of(e, "The campaign service"))).build();
        }
        String chosen = fields.getFirst("audienceId") == null ? "" : fields.getFirst("audienceId").strip();
        Map<String, String> variables = new LinkedHashMap<>();
        fields.forEach((key, values) -> {
            if (key.startsWith("attr.") && values != null && !values.isEmpty() && !values.get(0).isBlank()) {
                variables.put(key.substring(5), values.get(0).strip());
            }
        });
        try {
            if (!chosen.matches("\\d{1,18}")) {
                return Response.status(400).type(MediaType.TEXT_HTML_TYPE)
                        .entity(Templates.audience("new", "audience", campaign, recipients(id), null, null, null, null, null,
                                csvHeader(campaign), saved(campaign, Map.of("audienceId", "choose an audience"))))
                        .build();
            }
            audienceApi.target(id, new AudienceApi.TargetRequest(Long.valueOf(chosen), variables));
            return Response.seeOther(URI.create("/campaigns/" + id + "/wizard/audience?notice=audience-targeted")).build();
        } catch (UpstreamException e) {
            return Response.status(e.status() < 500 ? e.status() : 502).type(MediaType.TEXT_HTML_TYPE)
                    .entity(Templates.audience("new", "audience", campaign, recipients(id), null, null, null, null,
                            e.errors().isEmpty() ? Banner.of(e) : null, csvHeader(campaign), saved(campaign, fieldErrors(e))))
                    .build();
        } catch (ProcessingException e) {
            return Response.status(502).type(MediaType.TEXT_HTML_TYPE)
                    .entity(Templates.audience("new", "audience", campaign, recipients(id), null, null, null, null,
                            Banner.unreachable("The campaign service"), csvHeader(campaign), saved(campaign, null)))
                    .build();
        }
    }

    @POST
    @Path("{id: \\d+}/wizard/untarget")
    public Response untarget(@PathParam("id") long id) {
        try {
            audienceApi.untarget(id);
            return Response.seeOther(URI.create("/campaigns/" + id + "/wizard/audience?notice=audience-untargeted")).build();
        } catch (UpstreamException | ProcessingException e) {
            return Response.status(Pages.statusFor(e)).type(MediaType.TEXT_HTML_TYPE)
                    .entity(CampaignPage.Templates.unavailable("new", Banner.of(e, "The campaign service"))).build();
        }
    }

    // ---- step 3: schedule, window, rate --------------------------------------------------------------

    @GET
    @Path("{id: \\d+}/wizard/schedule")
    public Response schedule(@PathParam("id") long id, @QueryParam("at") String at) {
        try {
            Campaign campaign = campaigns.campaign(id);
            return Response.ok(Templates.schedule("new", "schedule", campaign,
                    WizardForm.Schedule.of(campaign, at, operator.getZone()), null, null, null)).build();
        } catch (UpstreamException | ProcessingException e) {
            return Response.status(Pages.statusFor(e)).type(MediaType.TEXT_HTML_TYPE)
                    .entity(CampaignPage.Templates.unavailable("new", Banner.of(e, "The campaign service"))).build();
        }
    }

    @POST
    @Path("{id: \\d+}/wizard/schedule")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveSchedule(@PathParam("id") long id, MultivaluedMap<String, String> fields) {
        WizardForm.Schedule form = WizardForm.Schedule.from(fields);
        Campaign campaign = null;
        try {
            campaign = campaigns.campaign(id);
            String formError = form.problem();
            if (formError != null) {
                return Response.status(400).type(MediaType.TEXT_HTML_TYPE)
                        .entity(Templates.schedule("new", "schedule", campaign, form, null, formError, null)).build();
            }
            campaigns.update(id, form.applyTo(campaign));
            String at = form.startAt() == null ? "" : "?at=" + Links.encode(form.startAt().toString());
            return Response.seeOther(URI.create("/campaigns/" + id + "/wizard/review" + at)).build();
        } catch (UpstreamException e) {
            return Response.status(e.status() < 500 ? e.status() : 502).type(MediaType.TEXT_HTML_TYPE)
                    .entity(Templates.schedule("new", "schedule", campaign, form, e, null,
                            e.errors().isEmpty() ? Banner.of(e) : null))
                    .build();
        } catch (ProcessingException e) {
            return Response.status(502).type(MediaType.TEXT_HTML_TYPE)
                    .entity(Templates.schedule("new", "schedule", campaign, form, null, null,
                            Banner.unreachable("The campaign service")))
                    .build();
        }
    }

    // ---- step 4: review and confirm ----------------------------------------------------------------

    @GET
    @Path("{id: \\d+}/wizard/review")
    public Response review(@PathParam("id") long id, @QueryParam("at") String at) {
        try {
            Campaign campaign = campaigns.campaign(id);
            long recipients = recipients(id);
            CampaignApi.Preview sample = null;
            var first = campaigns.recipients(id, 0, 1, null, null);
            if (!first.items().isEmpty()) {
                sample = campaigns.preview(id, first.items().get(0).id());
            }
            OffsetDateTime startAt = WizardForm.parseAt(at);
            CampaignApi.Plan plan = null;
            Banner problem = null;
            try {
                plan = campaigns.plan(id);
            } catch (UpstreamException | ProcessingException e) {
                problem = new Banner("The pre-flight plan could not be read.", "The summary below is the console's own estimate.");
            }
            return Response.ok(Templates.review("new", "review", campaign, recipients, sample,
                    WizardForm.Estimate.of(campaign, recipients, startAt), plan, startAt == null ? null : startAt.toString(),
                    problem)).build();
        } catch (UpstreamException | ProcessingException e) {
            return Response.status(Pages.statusFor(e)).type(MediaType.TEXT_HTML_TYPE)
                    .entity(CampaignPage.Templates.unavailable("new", Banner.of(e, "The campaign service"))).build();
        }
    }

    @POST
    @Path("{id: \\d+}/wizard/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirm(@PathParam("id") long id, MultivaluedMap<String, String> fields) {
        OffsetDateTime startAt = WizardForm.parseAt(fields.getFirst("at"));
        try {
            if (startAt == null) {
                campaigns.act(id, "send");
                return Response.seeOther(URI.create("/campaigns/" + id + "?notice=sent")).build();
            }
            Campaign campaign = campaigns.campaign(id);
            CampaignSpec current = WizardForm.specOf(campaign);
            campaigns.update(id, new CampaignSpec(current.name(), current.description(), current.templateName(),
                    current.templateLanguage(), current.templateVariables(), current.phoneNumberId(), current.rateLimit(),
                    current.sendWindow(), startAt));
            return Response.seeOther(URI.create("/campaigns/" + id + "?notice=scheduled")).build();
        } catch (UpstreamException | ProcessingException e) {
            try {
                Campaign campaign = campaigns.campaign(id);
                long recipients = recipients(id);
                return Response.status(Pages.statusFor(e)).type(MediaType.TEXT_HTML_TYPE)
                        .entity(Templates.review("new", "review", campaign, recipients, null,
                                WizardForm.Estimate.of(campaign, recipients, startAt), null,
                                startAt == null ? null : startAt.toString(), Banner.of(e, "The campaign service")))
                        .build();
            } catch (UpstreamException | ProcessingException again) {
                return Response.status(Pages.statusFor(again)).type(MediaType.TEXT_HTML_TYPE)
                        .entity(CampaignPage.Templates.unavailable("new", Banner.of(again, "The campaign service"))).build();
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /**
     * The saved-audience card of the audience step: the audiences to pick from, the one targeted now
     * (with its name), the template's variable keys to map to contact attributes, the API's refusal.
     */
    public record AudienceChoice(List<AudienceApi.Audience> audiences, AudienceApi.Target target, String targetName,
            List<String> keys, Map<String, String> errors) {

        public boolean isChosen(long id) {
            return target != null && target.audienceId() == id;
        }

        public String attributeFor(String key) {
            return target == null || target.variables() == null ? "" : target.variables().getOrDefault(key, "");
        }

        public String error(String field) {
            return errors.get(field);
        }

        /** The form field of a template key's attribute ({@code attr.body.1}). */
        public String attrName(String key) {
            return "attr." + key;
        }
    }

    /** The API's field errors by the card's field: {@code variables.body.1} is the variables' error. */
    private static Map<String, String> fieldErrors(UpstreamException e) {
        Map<String, String> found = new LinkedHashMap<>();
        e.errors().forEach(error -> {
            String field = error.field() == null ? "" : error.field().startsWith("variables") ? "variables" : error.field();
            found.putIfAbsent(field, error.message());
        });
        return found;
    }

    private AudienceChoice saved(Campaign campaign, Map<String, String> errors) {
        List<AudienceApi.Audience> all = List.of();
        AudienceApi.Target target = null;
        String name = null;
        try {
            all = audienceApi.audiences(0, SeriesPage.AUDIENCE_CHOICES).items();
            target = audienceApi.targetOf(campaign.id());
            long chosen = target.audienceId();
            name = all.stream().filter(a -> a.id() == chosen).map(AudienceApi.Audience::name).findFirst()
                    .orElseGet(() -> audienceApi.audience(chosen).name());
        } catch (UpstreamException | ProcessingException none) {
            // no audience targeted (404), or the service not answering: the card offers the choice
        }
        List<String> keys = List.of(csvHeader(campaign).split(",")).stream().skip(2).toList();
        if (target != null && name == null) {
            name = "audience " + target.audienceId();
        }
        return new AudienceChoice(all, target, name, keys, errors == null ? Map.of() : errors);
    }

    private long recipients(long id) {
        try {
            return campaigns.stats(id).stats().total();
        } catch (UpstreamException | ProcessingException e) {
            return 0;
        }
    }

    /** The header a CSV for this campaign must have: phone, name, then each variable of its template. */
    private String csvHeader(Campaign campaign) {
        try {
            return campaigns.templates(null).stream()
                    .filter(t -> t.name().equals(campaign.templateName()) && t.language().equals(campaign.templateLanguage()))
                    .findFirst()
                    .map(t -> String.join(",", java.util.stream.Stream.concat(
                            java.util.stream.Stream.of("phone", "name"), t.variables().stream()).toList()))
                    .orElse("phone,name");
        } catch (UpstreamException | ProcessingException e) {
            return "phone,name";
        }
    }

    /** The rejected rows as a CSV the operator can download, fix and upload again. */
    static String rejectedCsv(CampaignApi.Report report) {
        if (report == null || report.rejected() == null || report.rejected().isEmpty()) {
            return null;
        }
        StringBuilder csv = new StringBuilder("row,column,reason,value\n");
        for (CampaignApi.Rejection r : report.rejected()) {
            csv.append(r.row()).append(',').append(quote(r.field())).append(',').append(quote(r.reason())).append(',')
                    .append(quote(r.value())).append('\n');
        }
        return java.util.Base64.getEncoder().encodeToString(csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        if (s == null) {
            return "";
        }
        String safe = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s; // no formulas in a spreadsheet
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }

    private String templatesJson(List<Template> templates) {
        return Pages.scriptJson(json, templates);
    }
}
