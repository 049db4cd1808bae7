package io.wacast.simulator.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.wacast.simulator.template.Template;
import io.wacast.simulator.template.TemplateRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the {@code template} object of a send request the way Meta does: the template must exist
 * in that language and be approved, and the parameters must match its placeholders, header format
 * and buttons. Throws {@link GraphException} with Meta's code for the first problem found.
 */
@ApplicationScoped
public class TemplateValidator {

    private final TemplateRegistry registry;

    public TemplateValidator(TemplateRegistry registry) {
        this.registry = registry;
    }

    public Template validate(JsonNode template) {
        String name = text(template, "name");
        String language = text(template.path("language"), "code");
        if (name == null || name.isBlank()) {
            throw new GraphException(GraphError.requiredParameterMissing("template.name is required"));
        }
        if (language == null || language.isBlank()) {
            throw new GraphException(GraphError.requiredParameterMissing("template.language.code is required"));
        }
        Template found = registry.find(name, language)
                .orElseThrow(() -> new GraphException(GraphError.templateMissing(name, language)));
        switch (found.status()) {
            case Template.APPROVED -> { }
            case Template.PAUSED -> throw new GraphException(GraphError.templatePaused(name));
            case Template.DISABLED -> throw new GraphException(GraphError.templateDisabled(name));
            default -> throw new GraphException(GraphError.templateMissing(name, language));
        }
        checkParameters(found, template.path("components"));
        return found;
    }

    private static void checkParameters(Template template, JsonNode components) {
        List<JsonNode> header = new ArrayList<>();
        List<JsonNode> body = new ArrayList<>();
        Map<Integer, JsonNode> buttons = new HashMap<>();
        for (JsonNode component : components) {
            String type = lower(text(component, "type"));
            List<JsonNode> parameters = new ArrayList<>();
            component.path("parameters").forEach(parameters::add);
            switch (type) {
                case "header" -> header.addAll(parameters);
                case "body" -> body.addAll(parameters);
                case "button" -> buttons.put(buttonIndex(component), component);
                default -> throw new GraphException(GraphError.invalidParameter(
                        "template.components[].type must be header, body or button, got '" + type + "'"));
            }
        }
        checkBody(template, body);
        checkHeader(template, header);
        checkButtons(template, buttons);
    }

    private static void checkBody(Template template, List<JsonNode> body) {
        int expected = template.bodyParameterCount();
        if (body.size() != expected) {
            throw new GraphException(GraphError.parameterCountMismatch(
                    "body: number of localizable_params (" + body.size()
                            + ") does not match the expected number of params (" + expected + ")"));
        }
        for (int i = 0; i < body.size(); i++) {
            JsonNode parameter = body.get(i);
            String type = lower(text(parameter, "type"));
            if ("text".equals(type) && isBlank(text(parameter, "text"))) {
                throw new GraphException(GraphError.requiredParameterMissing(
                        "body: parameter " + (i + 1) + " has no text"));
            }
        }
    }

    private static void checkHeader(Template template, List<JsonNode> header) {
        String expected = template.headerParameterType().orElse(null);
        int expectedCount = expected == null ? 0 : 1;
        if (header.size() != expectedCount) {
            throw new GraphException(GraphError.parameterCountMismatch(
                    "header: number of localizable_params (" + header.size()
                            + ") does not match the expected number of params (" + expectedCount + ")"));
        }
        if (expected == null) {
            return;
        }
        JsonNode parameter = header.get(0);
        String type = lower(text(parameter, "type"));
        if (!expected.equals(type)) {
            throw new GraphException(GraphError.parameterFormatMismatch(
                    "header: expected a " + expected + " parameter, got " + (type.isEmpty() ? "none" : type)));
        }
        boolean missing = "text".equals(type)
                ? isBlank(text(parameter, "text"))
                : isBlank(text(parameter.path(type), "link")) && isBlank(text(parameter.path(type), "id"));
        if (missing) {
            throw new GraphException(GraphError.requiredParameterMissing(
                    "header: the " + type + " parameter needs " + ("text".equals(type) ? "text" : "a link or an id")));
        }
    }

    private static void checkButtons(Template template, Map<Integer, JsonNode> given) {
        List<Template.Button> buttons = template.buttons();
        for (Map.Entry<Integer, JsonNode> entry : given.entrySet()) {
            int index = entry.getKey();
            if (index < 0 || index >= buttons.size()) {
                throw new GraphException(GraphError.parameterCountMismatch(
                        "buttons: the template has no button at index " + index));
            }
            String subType = lower(text(entry.getValue(), "sub_type"));
            String buttonType = buttons.get(index).type();
            if (!buttonType.equalsIgnoreCase(subType)) {
                throw new GraphException(GraphError.parameterFormatMismatch(
                        "buttons: button " + index + " is " + buttonType + ", got sub_type '" + subType + "'"));
            }
            int count = entry.getValue().path("parameters").size();
            int expected = template.urlButtonTakesParameter(index) ? 1 : "QUICK_REPLY".equals(buttonType) ? count : 0;
            if (count != expected || (expected > 0 && "URL".equals(buttonType)
                    && isBlank(text(entry.getValue().path("parameters").path(0), "text")))) {
                throw new GraphException(GraphError.parameterCountMismatch(
                        "buttons: button " + index + " takes " + expected + " parameter(s), got " + count));
            }
        }
        for (int i = 0; i < buttons.size(); i++) {
            if (template.urlButtonTakesParameter(i) && !given.containsKey(i)) {
                throw new GraphException(GraphError.parameterCountMismatch(
                        "buttons: button " + i + " (URL) needs its parameter"));
            }
        }
    }

    private static int buttonIndex(JsonNode component) {
        JsonNode index = component.path("index");
        try {
            return index.isNumber() ? index.asInt() : Integer.parseInt(index.asText());
        } catch (NumberFormatException e) {
            throw new GraphException(GraphError.invalidParameter("template.components[].index must be a number"));
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() ? value.asText() : null;
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
