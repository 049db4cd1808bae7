package io.wacast.simulator.template;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A message template exactly as Meta's {@code GET /{waba-id}/message_templates} lists it, so that the
 * campaign-service's template sync parses the simulator's answer and Meta's with the same code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Template(
        String id,
        String name,
        String language,
        String status,
        String category,
        List<Component> components) {

    public static final String APPROVED = "APPROVED";
    public static final String PAUSED = "PAUSED";
    public static final String DISABLED = "DISABLED";

    public Template {
        components = components == null ? List.of() : List.copyOf(components);
        status = status == null ? null : status.toUpperCase(Locale.ROOT);
        category = category == null ? null : category.toUpperCase(Locale.ROOT);
    }

    public Template withId(String newId) {
        return new Template(newId, name, language, status, category, components);
    }

    /** One HEADER, BODY, FOOTER or BUTTONS block. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(String type, String format, String text, List<Button> buttons) {
        public Component {
            type = type == null ? null : type.toUpperCase(Locale.ROOT);
            format = format == null ? null : format.toUpperCase(Locale.ROOT);
            buttons = buttons == null ? null : List.copyOf(buttons);
        }
    }

    /** A QUICK_REPLY, URL or PHONE_NUMBER button; a URL may end in a {@code {{1}}} suffix parameter. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Button(String type, String text, String url, @JsonProperty("phone_number") String phoneNumber) {
        public Button {
            type = type == null ? null : type.toUpperCase(Locale.ROOT);
        }
    }

    @JsonIgnore
    public Optional<Component> component(String type) {
        return components.stream().filter(c -> type.equals(c.type())).findFirst();
    }

    /** The number of {@code {{n}}} parameters of the body (the highest n, as Meta numbers them 1..n). */
    @JsonIgnore
    public int bodyParameterCount() {
        return component("BODY").map(c -> placeholders(c.text())).orElse(0);
    }

    /**
     * What the header needs: {@code "text"} for a text header with a placeholder, {@code "image"},
     * {@code "video"} or {@code "document"} for a media header, empty when it takes no parameter.
     */
    @JsonIgnore
    public Optional<String> headerParameterType() {
        return component("HEADER").flatMap(header -> {
            String format = header.format() == null ? "TEXT" : header.format();
            return switch (format) {
                case "TEXT" -> placeholders(header.text()) > 0 ? Optional.of("text") : Optional.empty();
                case "IMAGE", "VIDEO", "DOCUMENT" -> Optional.of(format.toLowerCase(Locale.ROOT));
                default -> Optional.empty();
            };
        });
    }

    @JsonIgnore
    public List<Button> buttons() {
        return component("BUTTONS").map(Component::buttons).orElse(List.of());
    }

    /** Whether the button at {@code index} is a URL button with a dynamic suffix. */
    @JsonIgnore
    public boolean urlButtonTakesParameter(int index) {
        List<Button> buttons = buttons();
        return index >= 0 && index < buttons.size() && "URL".equals(buttons.get(index).type())
                && placeholders(buttons.get(index).url()) > 0;
    }

    /** The highest n of the {@code {{n}}} in {@code text}; a scan, not a regex: it runs on every call. */
    static int placeholders(String text) {
        if (text == null) {
            return 0;
        }
        int max = 0;
        for (int open = text.indexOf("{{"); open >= 0; open = text.indexOf("{{", open + 1)) {
            int end = open + 2;
            while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
                end++;
            }
            if (end > open + 2 && text.startsWith("}}", end)) {
                max = Math.max(max, Integer.parseInt(text.substring(open + 2, end)));
            }
        }
        return max;
    }
}
