package io.wacast.console.rest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.wacast.common.problem.Problem;
import io.wacast.console.client.CampaignApi;
import io.wacast.console.client.CampaignApi.Button;
import io.wacast.console.client.CampaignApi.Template;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.session.CurrentOperator;
import io.wacast.console.view.Banner;
import io.wacast.console.view.Notices;

/**
 * The template registry: the list (filter by status), one template rendered as the phone shows it, and
 * the form that registers a new one, with the upstream's field errors next to their fields.
 */
@Path("/templates")
@Produces(MediaType.TEXT_HTML)
public class TemplatesPage {

    static final List<String> STATUSES = List.of("approved", "pending", "rejected", "paused", "disabled");
    static final List<String> CATEGORIES = List.of("marketing", "utility", "authentication");
    static final List<String> HEADER_TYPES = List.of("none", "text", "image", "video", "document");
    static final List<String> BUTTON_TYPES = List.of("url", "quick_reply");
    static final int MAX_BUTTONS = 3;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(\\d+)\\s*}}");

    /** One button row of the form; {@code index} is its position in the list sent upstream. */
    public record ButtonField(int index, String type, String text, String url, boolean parameter) {

        /** The upstream's path of one of this button's fields, e.g. {@code buttons[0].text}. */
        public String path(String field) {
            return "buttons[" + index + "]." + field;
        }

        boolean isBlank() {
            return blank(type) && blank(text) && blank(url) && !parameter;
        }
    }

    /** What the form holds, echoed back after a refused submit. */
    public record TemplateForm(String name, String language, String category, String status, String headerType,
            String headerText, String body, String footer, List<ButtonField> buttons) {

        static TemplateForm empty() {
            return new TemplateForm("", "en", "marketing", "approved", "none", "", "", "", blankButtons(0, List.of()));
        }

        public Placeholders placeholders() {
            return Placeholders.of(body);
        }
    }

    /** The placeholders found in a body, and what is wrong with their numbering, if anything. */
    public record Placeholders(List<String> found, String problem) {

        static Placeholders of(String text) {
            TreeSet<Integer> numbers = new TreeSet<>();
            Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
            while (m.find()) {
                try {
                    numbers.add(Integer.parseInt(m.group(1)));
                } catch (NumberFormatException tooLong) {
                    return new Placeholders(List.of(), "placeholder numbers must be small whole numbers");
                }
            }
            String problem = null;
            int expected = 1;
            for (int n : numbers) {
                if (n != expected) {
                    problem = "placeholders must be numbered {{1}} to {{n}} without gaps; {{" + expected + "}} is missing";
                    break;
                }
                expected++;
            }
            return new Placeholders(numbers.stream().map(n -> "{{" + n + "}}").toList(), problem);
        }

        public boolean isEmpty() {
            return found.isEmpty();
        }
    }

    /** The form's fields; button fields are named by their upstream path so errors line up. */
    public static class FormInput {
        @RestForm String name;
        @RestForm String language;
        @RestForm String category;
        @RestForm String status;
        @RestForm String headerType;
        @RestForm String headerText;
        @RestForm String body;
        @RestForm String footer;
        @RestForm("buttons[0].type") String type0;
        @RestForm("buttons[0].text") String text0;
        @RestForm("buttons[0].url") String url0;
        @RestForm("buttons[0].parameter") String parameter0;
        @RestForm("buttons[1].type") String type1;
        @RestForm("buttons[1].text") String text1;
        @RestForm("buttons[1].url") String url1;
        @RestForm("buttons[1].parameter") String parameter1;
        @RestForm("buttons[2].type") String type2;
        @RestForm("buttons[2].text") String text2;
        @RestForm("buttons[2].url") String url2;
        @RestForm("buttons[2].parameter") String parameter2;

        /** The form as typed, with the filled-in buttons moved to the front (the order sent upstream). */
        TemplateForm toForm() {
            List<ButtonField> filled = new ArrayList<>();
            for (ButtonField b : List.of(button(type0, text0, url0, parameter0), button(type1, text1, url1, parameter1),
                    button(type2, text2, url2, parameter2))) {
                if (!b.isBlank()) {
                    filled.add(new ButtonField(filled.size(), b.type(), b.text(), b.url(), b.parameter()));
                }
            }
            return new TemplateForm(trim(name), trim(language), trim(category), trim(status), trim(headerType),
                    headerText == null ? "" : headerText, body == null ? "" : body, footer == null ? "" : footer,
                    blankButtons(filled.size(), filled));
        }

        private static ButtonField button(String type, String text, String url, String parameter) {
            return new ButtonField(0, trim(type), text == null ? "" : text.strip(), trim(url), parameter != null);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String nav, String status, List<String> statuses, List<Template> templates,
                Synced synced, String notice, Banner problem);

        static native TemplateInstance form(String nav, boolean allowed, TemplateForm form, Map<String, String> errors,
                List<String> categories, List<String> statuses, List<String> headerTypes, List<String> buttonTypes,
                Banner problem);

        static native TemplateInstance form$placeholders(Placeholders placeholders);

        static native TemplateInstance detail(String nav, Template template, Banner problem);
    }

    @RestClient
    CampaignApi campaigns;

    private final CurrentOperator operator;

    TemplatesPage(CurrentOperator operator) {
        this.operator = operator;
    }

    /**
     * What the last sync did, carried by the redirect after it as five counts
     * ({@code ?synced=fetched.created.updated.unchanged.skipped}): numbers only, so a link cannot make
     * the page say anything else.
     */
    public record Synced(long fetched, long created, long updated, long unchanged, long skipped) {

        private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})");

        static Synced parse(String value) {
            Matcher m = value == null ? null : FORM.matcher(value);
            if (m == null || !m.matches()) {
                return null;
            }
            return new Synced(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5)));
        }

        static String of(CampaignApi.TemplateSyncReport report) {
            return report.fetched() + "." + report.created() + "." + report.updated() + "." + report.unchanged() + "."
                    + (report.skipped() == null ? 0 : report.skipped().size());
        }
    }

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("synced") String synced,
            @QueryParam("notice") String notice) {
        return list(status, Synced.parse(synced), Notices.text(notice), null);
    }

    /**
     * Reads the account's templates from Meta now: new ones are registered, known ones take Meta's
     * status, category and quality. Meta's refusal or a sync that is not configured shows as the list
     * with the reason on top, nothing changed.
     */
    @POST
    @Path("sync")
    public Response sync() {
        try {
            return Response.seeOther(URI.create("/templates?synced=" + Synced.of(campaigns.syncTemplates()))).build();
        } catch (UpstreamException | ProcessingException e) {
            Response page = list(null, null, null, Banner.of(e, "The campaign service"));
            return Response.fromResponse(page).status(Pages.statusFor(e)).build();
        }
    }

    private Response list(String status, Synced synced, String notice, Banner failure) {
        String filter = status != null && STATUSES.contains(status) ? status : null;
        List<Template> found = List.of();
        Banner problem = failure;
        int code = 200;
        try {
            found = campaigns.templates(filter);
        } catch (UpstreamException | ProcessingException e) {
            problem = problem != null ? problem : Banner.of(e, "The campaign service");
            code = Pages.statusFor(e);
        }
        return Pages.html(code, Templates.list("templates", filter, STATUSES, found, synced, notice, problem));
    }

    @GET
    @Path("new")
    public Response form() {
        if (!operator.getMayChange()) {
            return Pages.html(403, form(false, TemplateForm.empty(), Map.of(), null));
        }
        return Pages.html(200, form(true, TemplateForm.empty(), Map.of(), null));
    }

    /** The placeholders of a body as the operator types it: a fragment for the form's hint. */
    @GET
    @Path("placeholders")
    public TemplateInstance placeholders(@QueryParam("body") String body) {
        return Templates.form$placeholders(Placeholders.of(body));
    }

    @POST
    @Path("new")
    public Response register(@BeanParam FormInput input) {
        TemplateForm form = input.toForm();
        List<Button> buttons = form.buttons().stream()
                .filter(b -> !b.isBlank())
                .map(b -> new Button(nullIfBlank(b.type()), b.text(), nullIfBlank(b.url()), b.parameter()))
                .toList();
        String headerType = nullIfBlank(form.headerType());
        try {
            campaigns.registerTemplate(new CampaignApi.TemplateRequest(form.name(), form.language(),
                    nullIfBlank(form.category()), nullIfBlank(form.status()), headerType,
                    "text".equals(headerType) ? nullIfBlank(form.headerText()) : null, form.body(),
                    nullIfBlank(form.footer()), buttons.isEmpty() ? null : buttons));
            return Response.seeOther(URI.create("/templates?notice=template-added")).build();
        } catch (UpstreamException e) {
            Map<String, String> errors = e.errors().stream()
                    .filter(err -> err.field() != null && err.message() != null)
                    .collect(Collectors.toMap(Problem.FieldError::field, Problem.FieldError::message, (a, b) -> a));
            return Pages.html(Pages.statusFor(e), form(true, form, errors, Banner.of(e)));
        } catch (ProcessingException e) {
            return Pages.html(502, form(true, form, Map.of(), Banner.unreachable("The campaign service")));
        }
    }

    @GET
    @Path("{id}")
    public Response detail(@PathParam("id") long id) {
        try {
            return Pages.html(200, Templates.detail("templates", campaigns.template(id), null));
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.detail("templates", null, Banner.of(e, "The campaign service")));
        }
    }

    private static TemplateInstance form(boolean allowed, TemplateForm form, Map<String, String> errors, Banner problem) {
        return Templates.form("templates", allowed, form, errors, CATEGORIES, STATUSES, HEADER_TYPES, BUTTON_TYPES,
                problem);
    }

    private static List<ButtonField> blankButtons(int from, List<ButtonField> filled) {
        List<ButtonField> all = new ArrayList<>(filled);
        for (int i = from; i < MAX_BUTTONS; i++) {
            all.add(new ButtonField(i, "", "", "", false));
        }
        return all;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    private static String nullIfBlank(String s) {
        return blank(s) ? null : s.strip();
    }
}
