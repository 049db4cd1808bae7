package io.wacast.campaign.client;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the account's message templates from the Graph API, page after page, and turns Meta's answers
 * into results: a page, "rate limited" (codes 4, 80007, HTTP 429), "not Meta's shape", or another
 * Meta error. Nothing here retries; {@code TemplateSync} owns the backoff.
 */
@ApplicationScoped
public class MetaTemplates {

    static final String FIELDS = "id,name,language,status,category,components,quality_score,rejected_reason";

    /** One template as Meta lists it, components kept as JSON for the sync to read. */
    public record MetaTemplate(String id, String name, String language, String status, String category,
            JsonNode components, String quality, String rejectedReason) {
    }

    /** One page and the cursor of the next (null on the last page). */
    public record Page(List<MetaTemplate> templates, String after) {
    }

    /** Why a page could not be had. */
    public static final class MetaAnswerException extends RuntimeException {

        /** What kind of answer it was. */
        public enum Kind {
            RATE_LIMITED, NOT_META_SHAPE, META_ERROR, UNREACHABLE
        }

        private final Kind kind;

        MetaAnswerException(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    private final MetaGraphApi api;
    private final ObjectMapper json;

    MetaTemplates(@RestClient MetaGraphApi api, ObjectMapper json) {
        this.api = api;
        this.json = json;
    }

    public Page page(String version, String wabaId, String token, int limit, String after) {
        String body;
        try {
            body = api.templates(version, wabaId, "Bearer " + token, limit, after, FIELDS);
        } catch (WebApplicationException e) {
            String error = e.getResponse().hasEntity() ? e.getResponse().readEntity(String.class) : "";
            throw errorOf(e.getResponse().getStatus(), error);
        } catch (ProcessingException e) {
            throw new MetaAnswerException(MetaAnswerException.Kind.UNREACHABLE, "Meta's Graph API did not answer: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
        return read(body);
    }

    /** Meta's listing: {@code {"data":[{id,name,language,status,category,components[…]}…],"paging":{…}}}. */
    Page read(String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (Exception e) {
            throw notMeta("the answer is not JSON");
        }
        if (root == null || !root.isObject() || !root.path("data").isArray()) {
            throw notMeta("the answer has no \"data\" array");
        }
        List<MetaTemplate> templates = new ArrayList<>();
        int i = 0;
        for (JsonNode node : root.path("data")) {
            String at = "data[" + i++ + "]";
            if (!node.isObject()) {
                throw notMeta(at + " is not an object");
            }
            for (String member : List.of("name", "language", "status", "category")) {
                if (!node.path(member).isTextual() || node.path(member).asText().isBlank()) {
                    throw notMeta(at + "." + member + " is missing or not a string");
                }
            }
            if (!node.path("components").isMissingNode() && !node.path("components").isArray()) {
                throw notMeta(at + ".components is not an array");
            }
            JsonNode quality = node.path("quality_score").path("score");
            templates.add(new MetaTemplate(node.path("id").asText(null), node.path("name").asText(),
                    node.path("language").asText(), node.path("status").asText(), node.path("category").asText(),
                    node.path("components"), quality.isTextual() ? quality.asText() : null,
                    node.path("rejected_reason").isTextual() ? node.path("rejected_reason").asText() : null));
        }
        JsonNode paging = root.path("paging");
        if (!paging.isMissingNode() && !paging.isObject()) {
            throw notMeta("\"paging\" is not an object");
        }
        boolean more = paging.path("next").isTextual() && !templates.isEmpty();
        String after = paging.path("cursors").path("after").asText(null);
        if (more && (after == null || after.isBlank())) {
            throw notMeta("\"paging.next\" without \"paging.cursors.after\"");
        }
        return new Page(templates, more ? after : null);
    }

    private MetaAnswerException errorOf(int status, String body) {
        int code = -1;
        String message = "HTTP " + status;
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.isObject()) {
                code = error.path("code").asInt(-1);
                message = "Meta error " + code + ": " + error.path("message").asText("");
            }
        } catch (Exception ignored) {
            // not a Graph error body: the HTTP status says what there is to say
        }
        if (code == 4 || code == 80007 || status == 429) {
            return new MetaAnswerException(MetaAnswerException.Kind.RATE_LIMITED, message);
        }
        return new MetaAnswerException(MetaAnswerException.Kind.META_ERROR, message);
    }

    private static MetaAnswerException notMeta(String what) {
        return new MetaAnswerException(MetaAnswerException.Kind.NOT_META_SHAPE,
                "Meta's template listing was not in its documented shape: " + what);
    }
}
