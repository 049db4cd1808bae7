package io.wacast.campaign.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters a template needs, named by the wire keys of common/README.md ({@code body.1},
 * {@code header.image}, {@code button.url.0}, …), and the message a set of values renders to. One
 * place decides both, so the check before sending, the SendJob and the preview cannot disagree.
 */
public final class TemplateVariables {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(\\d+)\\s*}}");
    private static final Pattern HTTPS_LINK = Pattern.compile("https://\\S+");

    private final HeaderType headerType;
    private final String headerText;
    private final String body;
    private final List<TemplateButton> buttons;
    private final List<String> keys;

    private TemplateVariables(HeaderType headerType, String headerText, String body, List<TemplateButton> buttons) {
        this.headerType = headerType == null ? HeaderType.NONE : headerType;
        this.headerText = headerText;
        this.body = body == null ? "" : body;
        this.buttons = buttons == null ? List.of() : List.copyOf(buttons);
        this.keys = List.copyOf(computeKeys());
    }

    public static TemplateVariables of(HeaderType headerType, String headerText, String body, List<TemplateButton> buttons) {
        return new TemplateVariables(headerType, headerText, body, buttons);
    }

    /** The placeholder numbers of a text, e.g. [1, 2] for "Hi {{1}}, {{2}} off". */
    public static TreeSet<Integer> placeholders(String text) {
        TreeSet<Integer> numbers = new TreeSet<>();
        if (text != null) {
            Matcher matcher = PLACEHOLDER.matcher(text);
            while (matcher.find()) {
                numbers.add(Integer.parseInt(matcher.group(1)));
            }
        }
        return numbers;
    }

    /** Meta numbers body placeholders 1..n without gaps; null when {@code text} follows that rule. */
    public static String placeholderProblem(String text) {
        TreeSet<Integer> numbers = placeholders(text);
        int expected = 1;
        for (int number : numbers) {
            if (number != expected) {
                return "placeholders must be numbered {{1}} to {{n}} without gaps; {{" + expected + "}} is missing";
            }
            expected++;
        }
        return null;
    }

    /** Every key a message of this template needs a value for, in template order. */
    public List<String> keys() {
        return keys;
    }

    /** The keys that neither {@code values} nor {@code defaults} give a non-blank value. */
    public List<String> missing(Map<String, String> defaults, Map<String, String> values) {
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            if (isBlank(values == null ? null : values.get(key)) && isBlank(defaults == null ? null : defaults.get(key))) {
                missing.add(key);
            }
        }
        return missing;
    }

    /** Keys given that the template has no use for, e.g. a typo such as "body.3" for a two-parameter body. */
    public List<String> unknown(Map<String, String> values) {
        List<String> unknown = new ArrayList<>();
        if (values != null) {
            for (String key : values.keySet()) {
                if (!keys.contains(key)) {
                    unknown.add(key);
                }
            }
        }
        return unknown;
    }

    /**
     * What is wrong with a value for {@code key}, or null: a media header (image, video, document) is a
     * link Meta fetches, and only an https link without spaces is accepted.
     */
    public String valueProblem(String key, String value) {
        boolean media = key.startsWith("header.") && !key.equals("header.text");
        if (media && !isBlank(value) && !HTTPS_LINK.matcher(value).matches()) {
            return "must be an https:// link without spaces";
        }
        return null;
    }

    /** The SendJob variables: the recipient's own values over the campaign defaults, in template order. */
    public Map<String, String> resolve(Map<String, String> defaults, Map<String, String> values) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (String key : keys) {
            String value = values == null ? null : values.get(key);
            if (isBlank(value) && defaults != null) {
                value = defaults.get(key);
            }
            if (!isBlank(value)) {
                resolved.put(key, value);
            }
        }
        return resolved;
    }

    /** The message as the recipient will see it, from resolved variables. */
    public RenderedMessage render(Map<String, String> resolved) {
        RenderedMessage.Header header = switch (headerType) {
            case NONE -> null;
            case TEXT -> new RenderedMessage.Header("text", substitute(headerText, n -> resolved.get("header.text")), null);
            default -> new RenderedMessage.Header(headerType.value(), null, resolved.get(headerKey()));
        };
        String renderedBody = substitute(body, n -> resolved.get("body." + n));
        List<RenderedMessage.Button> renderedButtons = new ArrayList<>();
        for (int index = 0; index < buttons.size(); index++) {
            TemplateButton button = buttons.get(index);
            String parameter = button.parameter() ? resolved.get(buttonKey(button, index)) : null;
            String url = button.type() == ButtonType.URL && button.url() != null
                    ? (button.url().contains("{{") ? substitute(button.url(), n -> parameter) : button.url())
                    : null;
            renderedButtons.add(new RenderedMessage.Button(button.type().value(), button.text(), url,
                    button.type() == ButtonType.QUICK_REPLY ? parameter : null));
        }
        return new RenderedMessage(header, renderedBody, renderedButtons);
    }

    private List<String> computeKeys() {
        List<String> computed = new ArrayList<>();
        if (headerType == HeaderType.TEXT && !placeholders(headerText).isEmpty()) {
            computed.add("header.text");
        } else if (headerType != HeaderType.NONE && headerType != HeaderType.TEXT) {
            computed.add(headerKey());
        }
        for (int number : placeholders(body)) {
            computed.add("body." + number);
        }
        for (int index = 0; index < buttons.size(); index++) {
            if (buttons.get(index).parameter()) {
                computed.add(buttonKey(buttons.get(index), index));
            }
        }
        return computed;
    }

    private String headerKey() {
        return "header." + headerType.name().toLowerCase(Locale.ROOT);
    }

    private static String buttonKey(TemplateButton button, int index) {
        return "button." + button.type().value() + "." + index;
    }

    private static String substitute(String text, java.util.function.IntFunction<String> value) {
        if (text == null) {
            return null;
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = value.apply(Integer.parseInt(matcher.group(1)));
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? matcher.group() : replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
