package io.wacast.campaign;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Authenticated RestAssured requests for the tests of the operator API. */
public final class Api {

    public static String bootstrapKey() {
        return ConfigProvider.getConfig().getValue("wacast.api.bootstrap-key", String.class);
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    /** Requests with the bootstrap admin key and a JSON body. */
    public static RequestSpecification admin() {
        return as(bootstrapKey()).contentType(ContentType.JSON);
    }

    /** Requests with the bootstrap admin key and a {@code text/csv} body with no charset parameter. */
    public static RequestSpecification csv() {
        return as(bootstrapKey())
                .config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("text/csv");
    }

    /** Issues a new key with {@code role} and returns its plaintext. */
    public static String issueKey(String role) {
        return admin().body(Map.of("name", "test " + role, "role", role))
                .post("/api/whatsapp/api-keys")
                .then().statusCode(201)
                .extract().path("key");
    }

    private Api() {
    }
}
