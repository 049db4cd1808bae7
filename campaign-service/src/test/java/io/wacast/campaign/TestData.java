package io.wacast.campaign;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Unique templates and campaigns for tests that share one database with every other test run. */
public final class TestData {

    /** Registers an approved template "Hi {{1}}, {{2}} off" with an image header and a URL button; returns its name. */
    public static String template() {
        String name = "promo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Api.admin().body(Map.of(
                "name", name,
                "language", "en_US",
                "category", "marketing",
                "headerType", "image",
                "body", "Hi {{1}}, {{2}} off today",
                "buttons", List.of(Map.of("type", "url", "text", "Shop", "url", "https://shop.example/{{1}}", "parameter", true))))
                .post("/api/whatsapp/templates").then().statusCode(201);
        return name;
    }

    /** Campaign defaults for every variable of {@link #template()} but body.1. */
    public static Map<String, String> defaults() {
        return Map.of("header.image", "https://img.example/a.png", "body.2", "20%", "button.url.0", "sale");
    }

    /** Creates a draft from a new template; returns its id. */
    public static long draft() {
        return draft(template());
    }

    public static long draft(String template) {
        return ((Number) Api.admin().body(Map.of(
                "name", "campaign " + UUID.randomUUID(),
                "templateName", template,
                "templateLanguage", "en_US",
                "templateVariables", defaults()))
                .post("/api/whatsapp/campaigns").then().statusCode(201).extract().path("id")).longValue();
    }

    /** Adds one recipient to {@code campaign} (a campaign needs one to be sent); returns the campaign. */
    public static long withRecipient(long campaign) {
        Api.admin().body(List.of(Map.of("phoneNumber", phone(), "variables", Map.of("body.1", "Asha"))))
                .post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        return campaign;
    }

    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PHONE =
            new java.util.concurrent.atomic.AtomicInteger(new java.security.SecureRandom().nextInt(90_000_000));

    /** A valid Indian mobile number, different on every call of this test run. */
    public static String phone() {
        return "+9198" + String.format("%08d", NEXT_PHONE.incrementAndGet());
    }

    private TestData() {
    }
}
