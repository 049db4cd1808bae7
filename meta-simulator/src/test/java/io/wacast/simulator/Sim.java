package io.wacast.simulator;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Test helpers that drive the simulator over HTTP, as its users do. */
public final class Sim {

    public static final String TOKEN = "test-token";
    public static final String APP_SECRET = "test-app-secret";
    public static final String NUMBER_ID = "100000000000001";
    public static final String WABA_ID = "200000000000001";
    public static final String MESSAGES = "/v23.0/" + NUMBER_ID + "/messages";

    /** Quiet settings for tests: no latency, no chaos, every message delivered and read, no inbound. */
    public static final String QUIET = """
            {"throughputPerSecond": 1000, "latency": {"medianMs": 0, "p99Ms": 0},
             "pairRate": {"burst": 5, "refillSeconds": 6},
             "webhooks": {"url": "http://127.0.0.1:9/webhooks/whatsapp", "retryInitialMs": 50, "retryMaxMs": 200},
             "outcomes": {"delivered": 1.0, "read": 1.0, "reply": 0, "optOut": 0, "order": 0},
             "delays": {"sent": {"minMs": 0, "maxMs": 5}, "delivered": {"minMs": 0, "maxMs": 5},
                        "read": {"minMs": 0, "maxMs": 5}, "inbound": {"minMs": 0, "maxMs": 5}},
             "chaos": {"duplicate": 0, "reorder": 0},
             "injection": {"enabled": true, "slowResponseMs": 30000},
             "marketingMessages": {"termsAccepted": true},
             "users": {"bsuidShare": 0, "withoutPhoneShare": 0},
             "replies": {"buttonPress": 1.0, "buttons": [], "unquoted": 0}}
            """;

    /** Forgets earlier traffic (queued webhooks included), then applies {@link #QUIET} and {@code settings}. */
    public static void reset(String... settings) {
        given().post("/sim/reset").then().statusCode(204);
        configure(QUIET);
        for (String s : settings) {
            configure(s);
        }
    }

    public static void configure(String json) {
        given().contentType(ContentType.JSON).body(json).put("/sim/config").then().statusCode(200);
    }

    /** A 12-digit Indian mobile number whose last four digits are {@code suffix}. */
    public static String phone(String suffix) {
        return "+91998765" + suffix;
    }

    public static String phone(int n) {
        return phone(String.format("%04d", 1000 + n % 9000));
    }

    public static String orderUpdate(String to, String callbackData) {
        return """
                {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "%s", "type": "template",
                 "biz_opaque_callback_data": "%s",
                 "template": {"name": "order_update", "language": {"code": "en_US"},
                   "components": [{"type": "body", "parameters": [{"type": "text", "text": "A-1001"}]}]}}
                """.formatted(to, callbackData);
    }

    public static Response send(String body) {
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body).post(MESSAGES);
    }

    private Sim() {
    }
}
