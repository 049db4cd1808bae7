package io.wacast.sender.client;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads Graph API responses defensively: a body that is not what Meta documents never throws. */
public final class MetaAnswers {

    /**
     * The sender's one mapper outside CDI: answers are parsed on the HTTP client's event loop by
     * {@link GraphTransport}, which is no bean, and only into trees, for which no configuration matters.
     */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 500;

    private MetaAnswers() {
    }

    public static MetaAnswer parse(int httpStatus, String body) {
        return parse(httpStatus, readTree(body), () -> body);
    }

    /** As {@link #parse(int, String)}, reading the bytes as they came; a text copy is made only for error messages. */
    public static MetaAnswer parse(int httpStatus, byte[] body) {
        return parse(httpStatus, readTree(body), () -> body == null ? null : new String(body, StandardCharsets.UTF_8));
    }

    private static MetaAnswer parse(int httpStatus, JsonNode root, Supplier<String> body) {
        if (httpStatus >= 200 && httpStatus < 300) {
            JsonNode message = root == null ? null : root.path("messages").path(0);
            String wamid = message == null ? null : text(message.get("id"));
            if (wamid == null) {
                // Meta said yes in some form we cannot read: it may have accepted the message.
                return new MetaAnswer.Unanswered("HTTP " + httpStatus + " without messages[0].id: " + snippet(body.get()));
            }
            String status = text(message.get("message_status"));
            return new MetaAnswer.Accepted(wamid, status == null ? "accepted" : status);
        }
        JsonNode error = root == null ? null : root.get("error");
        if (error == null || !error.isObject()) {
            return new MetaAnswer.Rejected(httpStatus, null, null, "unexpected response: " + snippet(body.get()));
        }
        Integer code = integer(error.get("code"));
        Integer subcode = integer(error.get("error_subcode"));
        String message = text(error.get("message"));
        String details = text(error.path("error_data").get("details"));
        if (details != null && !details.equals(message)) {
            message = message == null ? details : message + ": " + details;
        }
        return new MetaAnswer.Rejected(httpStatus, code, subcode, message == null ? "no message" : truncate(message));
    }

    private static JsonNode readTree(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static JsonNode readTree(String body) {
        return body == null ? null : readTree(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonNode node) {
        return node == null || !node.isValueNode() || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }

    private static Integer integer(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.canConvertToInt()) {
            return node.asInt();
        }
        try {
            return Integer.valueOf(node.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        return truncate(body.strip().replaceAll("\\s+", " "));
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
