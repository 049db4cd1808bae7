package io.wacast.campaign.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.wacast.campaign.Api;
import io.wacast.campaign.Sql;
import io.wacast.campaign.TestData;
import io.wacast.campaign.service.AudienceFilter;

/**
 * "Not messaged in N days" counted both ways, as the rest of the filter minus the recently messaged among
 * them (few recent messages) and by the scan (many), against a direct SQL count: recent and old messages,
 * statuses that count as messaged and one that does not, a suppressed number, other conditions beside it.
 */
@QuarkusTest
class NotMessagedCountTest {

    /** Statuses in which a recipient was sent a message or may have been: the oracle's own list, not V36's messaged_at. */
    private static final String MESSAGED = "'queued', 'sending', 'retry', 'unknown', 'sent', 'delivered', 'read', 'responded'";

    @Inject
    AudienceRepository audiences;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void bothWaysCountAsSqlBesideOtherConditions() {
        String tag = "nm-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "nm-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String phone = TestData.phone();
            phones.add(phone);
            Map<String, Object> body = new HashMap<>();
            body.put("tags", i % 2 == 0 ? List.of(tag, other) : List.of(tag));
            body.put("attributes", Map.of("city", i % 3 == 0 ? "Goa" : "Pune"));
            if (i < 6) {
                body.put("consent", Map.of("status", "opted_in", "source", "web_form"));
            }
            Api.admin().body(body).put("/api/whatsapp/contacts/" + phone).then().statusCode(201);
        }
        // suppressed, their opt-ins kept (§11 D14): 0 matches the Goa-and-web_form case but for the suppression
        Api.admin().body(Map.of("phoneNumber", phones.get(0))).post("/api/whatsapp/opt-outs").then().statusCode(201);
        Api.admin().body(Map.of("phoneNumber", phones.get(1))).post("/api/whatsapp/opt-outs").then().statusCode(201);
        long campaign = TestData.draft();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String phone : phones.subList(0, 6)) {
            rows.add(Map.of("phoneNumber", phone, "variables", Map.of("body.1", "Asha")));
        }
        Api.admin().body(rows).post("/api/whatsapp/campaigns/" + campaign + "/recipients").then().statusCode(200);
        // messaged now: 0 (delivered, suppressed since), 1 (read, suppressed since), 2 (sent); not messaged: 3 (failed now), 4 (sent 40 days ago)
        String recipient = "UPDATE recipients SET status = ?, queued_at = UTC_TIMESTAMP(6) - INTERVAL ? DAY WHERE campaign_id = ? AND phone_e164 = ?";
        Sql.update(dataSource, recipient, "delivered", 0, campaign, phones.get(0));
        Sql.update(dataSource, recipient, "read", 0, campaign, phones.get(1));
        Sql.update(dataSource, recipient, "sent", 1, campaign, phones.get(2));
        Sql.update(dataSource, recipient, "failed", 0, campaign, phones.get(3));
        Sql.update(dataSource, recipient, "sent", 40, campaign, phones.get(4));

        String tagged = "c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = '" + tag + "')";
        String notMessaged = " AND c.phone_e164 NOT IN (SELECT phone_e164 FROM recipients WHERE queued_at >= UTC_TIMESTAMP(6) - INTERVAL 30 DAY"
                + " AND status IN (" + MESSAGED + "))";
        String suppressed = "EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_hash = SHA2(c.phone_e164, 256))";
        Map<AudienceFilter, String> cases = new java.util.LinkedHashMap<>();
        AudienceFilter.Tags all = new AudienceFilter.Tags(List.of(tag), null, null);
        cases.put(new AudienceFilter(all, null, null, null, null, 30), notMessaged);
        cases.put(new AudienceFilter(new AudienceFilter.Tags(List.of(tag), null, List.of(other)), null, List.of("IN"),
                new AudienceFilter.Consent("opted_in", null), null, 30), notMessaged
                        + " AND c.id NOT IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = '"
                        + other + "') AND c.country = 'IN' AND c.opt_in_source IS NOT NULL AND NOT " + suppressed);
        cases.put(new AudienceFilter(all, List.of(new AudienceFilter.Attribute("city", "eq", "Goa", null)), null,
                new AudienceFilter.Consent(null, List.of("web_form")), null, 30), notMessaged
                        + " AND c.id IN (SELECT contact_id FROM contact_attributes WHERE name = 'city' AND value = 'Goa')"
                        + " AND c.opt_in_source = 'web_form' AND NOT " + suppressed);
        cases.put(new AudienceFilter(all, null, null, new AudienceFilter.Consent("opted_out", null), null, 30),
                notMessaged + " AND " + suppressed);
        for (Map.Entry<AudienceFilter, String> c : cases.entrySet()) {
            long expected = Sql.count(dataSource, "SELECT COUNT(*) FROM contacts c WHERE " + tagged + c.getValue());
            Instant now = Instant.now();
            assertThat(audiences.count(c.getKey(), now)).as("%s, few recent messages", c.getKey()).isEqualTo(expected);
            assertThat(audiences.count(c.getKey(), now, 0)).as("%s, by the scan", c.getKey()).isEqualTo(expected);
        }
        // 8 tagged; messaged within 30 days: 0, 1, 2
        assertThat(audiences.count(new AudienceFilter(all, null, null, null, null, 30), Instant.now())).isEqualTo(5);
    }
}
