package io.wacast.campaign.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.domain.ButtonType;
import io.wacast.campaign.domain.HeaderType;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateButton;
import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.campaign.domain.TemplateStatus;
import io.wacast.campaign.service.TemplateService;
import io.wacast.campaign.service.TemplateSync;
import io.wacast.common.text.FreeText;
import io.wacast.common.text.SingleLine;

/** The registry of approved templates campaigns are built from. */
@Path("/api/whatsapp/templates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Templates")
public class TemplateResource {

    public record ButtonRequest(@NotNull ButtonType type, @NotBlank @Size(max = 25) @SingleLine String text,
            @Size(max = 2000) @Pattern(regexp = "https://[^\\s]+", message = "must be an https:// link without spaces") String url,
            boolean parameter) {
    }

    public record TemplateRequest(
            @NotBlank @Size(max = 512) @Pattern(regexp = "[a-z0-9_]+", message = "lowercase letters, digits and underscores only") String name,
            @NotBlank @Pattern(regexp = TemplateService.LANGUAGE, message = TemplateService.LANGUAGE_RULE) String language,
            @NotNull TemplateCategory category,
            TemplateStatus status,
            HeaderType headerType,
            @Size(max = 60) @SingleLine String headerText,
            @NotBlank @Size(max = 1024) @FreeText String body,
            @Size(max = 60) @SingleLine String footer,
            @Size(max = 10) List<@NotNull @Valid ButtonRequest> buttons) {
    }

    /**
     * @param variables the keys every message of this template needs (SendJob variable keys)
     * @param statusReason Meta's reason for the last status change it sent (webhook), if any
     * @param quality Meta's quality score (green, yellow, red, unknown); null until Meta rated it
     * @param upcomingCategory a category change Meta announced, effective at {@code upcomingCategoryAt}
     */
    public record TemplateView(long id, String name, String language, TemplateCategory category, TemplateStatus status,
            String statusReason, Instant statusChangedAt, String quality, Instant qualityChangedAt,
            TemplateCategory upcomingCategory, Instant upcomingCategoryAt, String metaTemplateId,
            HeaderType headerType, String headerText, String body, String footer, List<TemplateButton> buttons,
            List<String> variables, Instant createdAt, Instant updatedAt) {

        static TemplateView of(Template t) {
            return new TemplateView(t.id, t.name, t.language, t.category, t.status, t.statusReason, t.statusAt,
                    t.quality, t.qualityAt, t.upcomingCategory, t.upcomingCategoryAt, t.metaTemplateId, t.headerType,
                    t.headerText, t.body, t.footer, t.buttons, t.variables().keys(), t.createdAt, t.updatedAt);
        }
    }

    private final TemplateService templates;
    private final TemplateSync sync;

    TemplateResource(TemplateService templates, TemplateSync sync) {
        this.templates = templates;
        this.sync = sync;
    }

    @POST
    @Path("/sync")
    @Operation(summary = "Read the account's templates from Meta now (every page): new ones registered, known ones"
            + " take Meta's status, category and quality; 502 when Meta's answer is not its shape (nothing changes),"
            + " 503 when Meta rate-limits or the sync is not configured")
    public TemplateSync.Report sync() {
        return sync.sync();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an approved template (409 when name and language exist)")
    public Response register(@Valid @NotNull TemplateRequest body) {
        List<TemplateButton> buttons = body.buttons() == null ? List.of()
                : body.buttons().stream().map(b -> new TemplateButton(b.type(), b.text(), b.url(), b.parameter())).toList();
        Template template = templates.register(new TemplateService.NewTemplate(body.name(), body.language().strip(),
                body.category(), body.status(), body.headerType(), body.headerText(), body.body(), body.footer(), buttons));
        return Response.created(URI.create("/api/whatsapp/templates/" + template.id)).entity(TemplateView.of(template)).build();
    }

    @GET
    @Operation(summary = "List templates, optionally of one status")
    public List<TemplateView> list(@QueryParam("status") String status) {
        return templates.list(QueryParams.parse(TemplateStatus.class, "status", status)).stream().map(TemplateView::of).toList();
    }

    @GET
    @Path("/{id}")
    public TemplateView get(@PathParam("id") long id) {
        return TemplateView.of(templates.get(id));
    }
}
