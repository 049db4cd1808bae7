package io.wacast.simulator.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.wacast.simulator.service.GraphError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.Base64;

/** Meta's error envelope: {@code {"error":{"message","type","code","error_subcode","error_data","fbtrace_id"}}}. */
public record GraphErrorBody(Error error) {

    private static final SecureRandom RANDOM = new SecureRandom();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Error(String message, String type, int code, Integer errorSubcode, ErrorData errorData,
            String fbtraceId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ErrorData(String messagingProduct, String details) {
    }

    public static Response response(GraphError error) {
        Error body = new Error(error.message(), "OAuthException", error.code(), error.subcode(),
                new ErrorData("whatsapp", error.details()), fbtraceId());
        Response.ResponseBuilder builder = Response.status(error.httpStatus()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new GraphErrorBody(body));
        if (error.httpStatus() == 401) {
            builder.header("WWW-Authenticate", "OAuth \"Facebook Platform\" \"invalid_token\" \"" + error.title() + "\"");
        }
        return builder.build();
    }

    private static String fbtraceId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
