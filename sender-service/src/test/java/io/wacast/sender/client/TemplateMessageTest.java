package io.wacast.sender.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.wacast.common.event.SendJob;

class TemplateMessageTest {

    static SendJob job(Map<String, String> variables) {
        return SendJob.of("wc:7:42", 7, 42, "100000000000001", "+919978783238", "tour_package_marketing", "en_US",
                variables, 1, null, Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void buildsTheDocumentedTemplateRequestWithJobIdAsCallbackData() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("body.2", "₹45,000");
        variables.put("header.image", "https://cdn.example/bali.jpg");
        variables.put("body.1", "Bali");
        variables.put("button.url.0", "bali-2025");
        variables.put("button.quick_reply.1", "STOP");

        JsonNode body = TemplateMessage.body(job(variables));

        assertThat(body.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(body.path("to").asText()).isEqualTo("+919978783238");
        assertThat(body.path("type").asText()).isEqualTo("template");
        assertThat(body.path("biz_opaque_callback_data").asText()).isEqualTo("wc:7:42");
        assertThat(body.path("template").path("name").asText()).isEqualTo("tour_package_marketing");
        assertThat(body.path("template").path("language").path("code").asText()).isEqualTo("en_US");
        JsonNode components = body.path("template").path("components");
        assertThat(components).hasSize(4);
        assertThat(components.get(0).toString()).isEqualTo(
                "{\"type\":\"header\",\"parameters\":[{\"type\":\"image\",\"image\":{\"link\":\"https://cdn.example/bali.jpg\"}}]}");
        assertThat(components.get(1).toString()).isEqualTo(
                "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Bali\"},{\"type\":\"text\",\"text\":\"₹45,000\"}]}");
        assertThat(components.get(2).toString()).isEqualTo(
                "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"bali-2025\"}]}");
        assertThat(components.get(3).toString()).isEqualTo(
                "{\"type\":\"button\",\"sub_type\":\"quick_reply\",\"index\":\"1\",\"parameters\":[{\"type\":\"payload\",\"payload\":\"STOP\"}]}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "text|{\"type\":\"text\",\"text\":\"V\"}",
            "video|{\"type\":\"video\",\"video\":{\"link\":\"V\"}}",
            "document|{\"type\":\"document\",\"document\":{\"link\":\"V\"}}" })
    void mapsEveryHeaderKind(String kind, String expected) {
        JsonNode body = TemplateMessage.body(job(Map.of("header." + kind, "V")));
        assertThat(body.path("template").path("components").get(0).path("parameters").get(0).toString())
                .isEqualTo(expected);
    }

    @Test
    void aTemplateWithoutVariablesHasNoComponents() {
        assertThat(TemplateMessage.body(job(Map.of())).path("template").has("components")).isFalse();
    }

    @Test
    void tenBodyParametersKeepNumericOrder() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 10; i >= 1; i--) {
            variables.put("body." + i, "v" + i);
        }
        JsonNode parameters = TemplateMessage.body(job(variables)).path("template").path("components").get(0).path("parameters");
        assertThat(parameters.get(1).path("text").asText()).isEqualTo("v2");
        assertThat(parameters.get(9).path("text").asText()).isEqualTo("v10");
    }

    @ParameterizedTest(name = "{0} is rejected: {2}")
    @CsvSource(delimiter = '|', value = {
            "body.1,body.3 | x,y | missing body.2",
            "footer.1 | x | unknown template variable 'footer.1'",
            "body.one | x | has no number",
            "body.0 | x | must be numbered from 1",
            "header.audio | x | unknown template variable 'header.audio'",
            "header.text,header.image | x,y | more than one header",
            "button.call.0 | x | unknown template variable 'button.call.0'",
            "button.url | x | unknown template variable 'button.url'",
            "body.1 | '' | is empty" })
    void malformedVariablesAreRejectedWithAClearReason(String keys, String values, String reason) {
        Map<String, String> variables = new LinkedHashMap<>();
        String[] k = keys.split(",");
        String[] v = values.isEmpty() ? new String[] { "" } : values.split(",");
        for (int i = 0; i < k.length; i++) {
            variables.put(k[i], v[i]);
        }
        assertThatThrownBy(() -> TemplateMessage.body(job(variables)))
                .isInstanceOf(TemplateMessage.InvalidJobException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aJobWithoutRecipientOrTemplateIsRejected() {
        SendJob noRecipient = SendJob.of("wc:7:42", 7, 42, "1", null, "t", "en", Map.of(), 1, null, null);
        SendJob noTemplate = SendJob.of("wc:7:42", 7, 42, "1", "+4915112345678", " ", "en", Map.of(), 1, null, null);
        assertThatThrownBy(() -> TemplateMessage.body(noRecipient)).hasMessageContaining("'to' is missing");
        assertThatThrownBy(() -> TemplateMessage.body(noTemplate)).hasMessageContaining("templateName is missing");
    }
}
