package io.wacast.campaign.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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

import io.wacast.campaign.domain.OptOut;
import io.wacast.campaign.service.OptOutService;
import io.wacast.common.text.FreeText;

/** The suppression list: numbers that never receive marketing from any campaign. */
@Path("/api/whatsapp/opt-outs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Opt-outs")
public class OptOutResource {

    public record OptOutRequest(@NotBlank @Size(max = 32) String phoneNumber, @Size(max = 500) @FreeText String reason) {
    }

    /** An entry names a number ({@code phoneNumber}) or a BSUID ({@code bsuid}, the other one null). */
    public record OptOutView(long id, String phoneNumber, String bsuid, String source, String reason, Instant createdAt) {

        static OptOutView of(OptOut o) {
            return new OptOutView(o.id, o.phone, o.bsuid, o.source, o.reason, o.createdAt);
        }
    }

    private final OptOutService optOuts;

    OptOutResource(OptOutService optOuts) {
        this.optOuts = optOuts;
    }

    @GET
    @Operation(summary = "Suppressed numbers and BSUIDs, newest first (kind=phone|bsuid, source, bsuid)")
    public PageView<OptOutView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size, @QueryParam("kind") String kind,
            @QueryParam("source") @Size(max = 32) String source, @QueryParam("bsuid") @Size(max = 140) String bsuid) {
        QueryParams.checkPage(page, size);
        OptOutService.OptOutPage found = optOuts.list(page, size,
                QueryParams.parse(OptOutService.Kind.class, "kind", kind), source, bsuid);
        return new PageView<>(found.items().stream().map(OptOutView::of).toList(), found.page(), found.size(), found.total());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Suppress a number (201; 200 when it already was)")
    public Response add(@Valid @NotNull OptOutRequest body) {
        OptOutService.Added added = optOuts.add(body.phoneNumber(), OptOut.SOURCE_OPERATOR, body.reason());
        OptOutView view = OptOutView.of(added.optOut());
        return added.created()
                ? Response.created(URI.create("/api/whatsapp/opt-outs/" + URLEncoder.encode(view.phoneNumber(), StandardCharsets.UTF_8)))
                        .entity(view).build()
                : Response.ok(view).build();
    }

    @DELETE
    @Path("/{phone}")
    @Operation(summary = "Remove a number, or a BSUID (US.1349…), from the suppression list")
    public Response remove(@PathParam("phone") String phone) {
        optOuts.remove(phone);
        return Response.noContent().build();
    }
}
