package io.wacast.campaign.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One button of a template, in template order (its index is the {@code <index>} of the SendJob
 * variable key).
 *
 * @param text the label shown to the user
 * @param url for URL buttons, the link; a parameter is appended where it holds {@code {{1}}}
 * @param parameter whether each message supplies a value (URL suffix or quick-reply payload)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TemplateButton(ButtonType type, String text, String url, boolean parameter) {
}
