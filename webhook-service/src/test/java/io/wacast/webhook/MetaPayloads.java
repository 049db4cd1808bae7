package io.wacast.webhook;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Webhook bodies shaped like Meta's (Graph API v23), for the tests and the load harness. */
public final class MetaPayloads {

    public static final String PHONE_NUMBER_ID = "100000000000001";
    public static final String WABA_ID = "200000000000001";
    /** Meta's timestamp of every fixture: a minute before the tests started, well inside the accepted window. */
    public static final long T0 = java.time.Instant.now().getEpochSecond() - 60;

    /** A delivery of one {@code messages} change whose value holds {@code valueFields} (JSON members). */
    public static String change(String field, String... valueFields) {
        String extra = Arrays.stream(valueFields).map(f -> "," + f).collect(Collectors.joining());
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"field":"%s","value":{\
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111",\
                "phone_number_id":"%s"}%s}}]}]}""".formatted(WABA_ID, field, PHONE_NUMBER_ID, extra);
    }

    public static String statuses(String... statuses) {
        return change("messages", "\"statuses\":[" + String.join(",", statuses) + "]");
    }

    public static String messages(String... messages) {
        return change("messages", "\"contacts\":[{\"profile\":{\"name\":\"Asha\"},\"wa_id\":\"919978783238\"}],"
                + "\"messages\":[" + String.join(",", messages) + "]");
    }

    public static String status(String wamid, String status, long timestamp, String jobId, String recipient) {
        String callback = jobId == null ? "" : ",\"biz_opaque_callback_data\":\"" + jobId + "\"";
        String pricing = status.equals("failed") ? "" : """
                ,"conversation":{"id":"conv-%s","origin":{"type":"marketing"}},\
                "pricing":{"billable":true,"pricing_model":"PMP","category":"marketing"}""".formatted(wamid);
        String errors = !status.equals("failed") ? "" : """
                ,"errors":[{"code":131026,"title":"Message undeliverable","message":"Message undeliverable",\
                "error_data":{"details":"Message Undeliverable."}}]""";
        return """
                {"id":"%s","status":"%s","timestamp":"%d","recipient_id":"%s"%s%s%s}"""
                .formatted(wamid, status, timestamp, recipient, callback, pricing, errors);
    }

    public static String text(String wamid, String from, String body, String contextWamid) {
        return message(wamid, from, "text", "\"text\":{\"body\":\"" + body + "\"}", contextWamid);
    }

    public static String message(String wamid, String from, String type, String content, String contextWamid) {
        String context = contextWamid == null ? ""
                : ",\"context\":{\"from\":\"15550001111\",\"id\":\"" + contextWamid + "\"}";
        return """
                {"from":"%s","id":"%s","timestamp":"%d","type":"%s"%s%s}"""
                .formatted(from, wamid, T0, type, content.isEmpty() ? "" : "," + content, context);
    }

    private MetaPayloads() {
    }
}
