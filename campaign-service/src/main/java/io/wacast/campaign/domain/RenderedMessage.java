package io.wacast.campaign.domain;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A template message with every placeholder filled in: what the recipient's phone shows. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RenderedMessage(Header header, String body, List<Button> buttons) {

    /** @param text for text headers; @param link for media headers */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Header(String type, String text, String link) {
    }

    /** @param url the final link of a URL button; @param payload what a quick reply sends back */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Button(String type, String text, String url, String payload) {
    }
}
