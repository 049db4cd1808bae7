package io.wacast.simulator.rest;

import io.wacast.simulator.service.GraphError;
import io.wacast.simulator.service.GraphException;
import io.wacast.simulator.service.MessageService;
import io.wacast.simulator.template.Template;
import io.wacast.simulator.template.TemplateRegistry;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Meta's template listing of a WhatsApp Business Account, cursor-paged like the Graph API. */
@Path("/{version: v\\d+\\.\\d+}/{wabaId}/message_templates")
@Tag(name = "Graph API")
public class MessageTemplatesResource {

    private static final int MAX_LIMIT = 1000;

    private final MessageService messages;
    private final TemplateRegistry templates;

    public MessageTemplatesResource(MessageService messages, TemplateRegistry templates) {
        this.messages = messages;
        this.templates = templates;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Listing(List<Template> data, Paging paging) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Paging(Cursors cursors, String next) {
    }

    public record Cursors(String before, String after) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the account's message templates")
    public Listing list(@PathParam("wabaId") String wabaId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("limit") @DefaultValue("25") int limit,
            @QueryParam("after") String after,
            @QueryParam("name") String name,
            @QueryParam("status") String status,
            @QueryParam("language") String language,
            @Context UriInfo uri) {
        messages.authorize(authorization);
        messages.numberOfWaba(wabaId).orElseThrow(() -> new GraphException(GraphError.unknownObject(wabaId)));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new GraphException(GraphError.invalidParameter("limit must be between 1 and " + MAX_LIMIT));
        }
        List<Template> matching = templates.all().stream()
                .filter(t -> name == null || t.name().contains(name))
                .filter(t -> status == null || t.status().equalsIgnoreCase(status))
                .filter(t -> language == null || t.language().equals(language))
                .toList();
        int from = after == null ? 0 : decode(after);
        int to = Math.min(matching.size(), from + limit);
        List<Template> page = from >= matching.size() ? List.of() : matching.subList(from, to);
        if (page.isEmpty()) {
            return new Listing(page, null);
        }
        String next = to < matching.size()
                ? uri.getRequestUriBuilder().replaceQueryParam("after", encode(to)).build().toString()
                : null;
        return new Listing(page, new Paging(new Cursors(encode(from), encode(to)), next));
    }

    private static String encode(int position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(position).getBytes(StandardCharsets.US_ASCII));
    }

    private static int decode(String cursor) {
        try {
            int position = Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
            if (position < 0) {
                throw new NumberFormatException();
            }
            return position;
        } catch (IllegalArgumentException e) {
            throw new GraphException(GraphError.invalidParameter("after is not a valid cursor"));
        }
    }
}
