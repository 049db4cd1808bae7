package io.wacast.console.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.UpstreamException;

/** What every page resource does the same way. */
final class Pages {

    /** The status a page answers with after an upstream failure: the upstream's 4xx, else 502. */
    static int statusFor(RuntimeException e) {
        return e instanceof UpstreamException u && u.status() < 500 ? u.status() : 502;
    }

    static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(page).build();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** A value as JSON for a page's script, safe inside {@code <script type="application/json">}. */
    static String scriptJson(ObjectMapper json, Object value) {
        try {
            return json.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            return "[]";
        }
    }

    private Pages() {
    }
}
