package io.wacast.sender.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wacast.common.event.SendJob;

/**
 * The body of {@code POST /{version}/{phone-number-id}/messages} for one {@link SendJob}. The
 * campaign service resolved the template into variable keys (common/README.md): {@code body.N},
 * {@code header.text|image|video|document}, {@code button.url.N}, {@code button.quick_reply.N}; this
 * turns them into Meta's {@code components} so the sender needs no template knowledge.
 */
public final class TemplateMessage {

    /** Builds trees only: no mapper is needed until the body is written ({@link MetaGraphClient}). */
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_CALLBACK_DATA = 512;

    private TemplateMessage() {
    }

    /** A job that can never be sent as it is: reported {@code failed} with this reason, never retried. */
    public static final class InvalidJobException extends IllegalArgumentException {
        public InvalidJobException(String reason) {
            super(reason);
        }
    }

    public static ObjectNode body(SendJob job) {
        require(job.jobId() != null && !job.jobId().isBlank(), "jobId is missing");
        require(job.jobId().length() <= MAX_CALLBACK_DATA, "jobId is longer than 512 characters");
        require(job.to() != null && !job.to().isBlank(), "recipient phone 'to' is missing");
        require(job.templateName() != null && !job.templateName().isBlank(), "templateName is missing");
        require(job.templateLanguage() != null && !job.templateLanguage().isBlank(), "templateLanguage is missing");

        ObjectNode root = JSON.objectNode();
        root.put("messaging_product", "whatsapp");
        root.put("recipient_type", "individual");
        root.put("to", job.to());
        root.put("type", "template");
        root.put("biz_opaque_callback_data", job.jobId());
        ObjectNode template = root.putObject("template");
        template.put("name", job.templateName());
        template.putObject("language").put("code", job.templateLanguage());
        ArrayNode components = components(job.variables());
        if (!components.isEmpty()) {
            template.set("components", components);
        }
        return root;
    }

    private static ArrayNode components(Map<String, String> variables) {
        ObjectNode header = null;
        TreeMap<Integer, String> body = new TreeMap<>();
        TreeMap<Integer, ObjectNode> buttons = new TreeMap<>();
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            String key = variable.getKey();
            String value = variable.getValue();
            require(value != null && !value.isEmpty(), "template variable '" + key + "' is empty");
            String[] parts = key.split("\\.");
            switch (parts[0]) {
                case "body" -> {
                    require(parts.length == 2, "unknown template variable '" + key + "'");
                    body.put(position(key, parts[1], 1), value);
                }
                case "header" -> {
                    require(parts.length == 2, "unknown template variable '" + key + "'");
                    require(header == null, "more than one header variable ('" + key + "')");
                    header = headerParameter(key, parts[1], value);
                }
                case "button" -> {
                    require(parts.length == 3, "unknown template variable '" + key + "'");
                    int index = position(key, parts[2], 0);
                    require(!buttons.containsKey(index), "two variables for button " + index);
                    buttons.put(index, button(key, parts[1], index, value));
                }
                default -> throw new InvalidJobException("unknown template variable '" + key + "'");
            }
        }
        ArrayNode components = JSON.arrayNode();
        if (header != null) {
            ObjectNode component = components.addObject().put("type", "header");
            component.putArray("parameters").add(header);
        }
        if (!body.isEmpty()) {
            require(body.lastKey() == body.size(),
                    "body variables must be numbered 1.." + body.lastKey() + " without gaps, missing "
                            + missing(body));
            ArrayNode parameters = components.addObject().put("type", "body").putArray("parameters");
            body.values().forEach(text -> parameters.addObject().put("type", "text").put("text", text));
        }
        buttons.values().forEach(components::add);
        return components;
    }

    private static ObjectNode headerParameter(String key, String kind, String value) {
        ObjectNode parameter = JSON.objectNode();
        switch (kind) {
            case "text" -> parameter.put("type", "text").put("text", value);
            case "image", "video", "document" -> parameter.put("type", kind).putObject(kind).put("link", value);
            default -> throw new InvalidJobException("unknown template variable '" + key + "'");
        }
        return parameter;
    }

    private static ObjectNode button(String key, String subType, int index, String value) {
        ObjectNode button = JSON.objectNode();
        button.put("type", "button").put("sub_type", subType).put("index", String.valueOf(index));
        ObjectNode parameter = button.putArray("parameters").addObject();
        switch (subType) {
            case "url" -> parameter.put("type", "text").put("text", value);
            case "quick_reply" -> parameter.put("type", "payload").put("payload", value);
            default -> throw new InvalidJobException("unknown template variable '" + key + "'");
        }
        return button;
    }

    private static int position(String key, String digits, int lowest) {
        try {
            int position = Integer.parseInt(digits);
            require(position >= lowest, "template variable '" + key + "' must be numbered from " + lowest);
            return position;
        } catch (NumberFormatException e) {
            throw new InvalidJobException("template variable '" + key + "' has no number");
        }
    }

    private static String missing(TreeMap<Integer, String> body) {
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= body.lastKey(); i++) {
            if (!body.containsKey(i)) {
                missing.add("body." + i);
            }
        }
        return String.join(", ", missing);
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new InvalidJobException(reason);
        }
    }
}
