package io.wacast.webhook.service;

import static io.wacast.webhook.MetaPayloads.T0;
import static io.wacast.webhook.MetaPayloads.WABA_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wacast.common.event.AccountSignal;
import io.wacast.webhook.domain.PublishableEvent;
import io.wacast.webhook.domain.PublishableEvent.Destination;
import io.wacast.webhook.domain.WebhookBatch;
import io.wacast.webhook.domain.WebhookBatch.IgnoredReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The account-level webhook fields in the shapes of Meta's webhook references (docs/META.md,
 * "Account signals"): each becomes one {@link AccountSignal} on {@code wacast.account-signals}, and
 * anything else of those fields is acknowledged and counted, never published.
 */
class AccountSignalReaderTest {

    private static final Instant NOW = Instant.ofEpochSecond(T0 + 60);

    private final WebhookPayloadReader reader = new WebhookPayloadReader(new ObjectMapper(),
            new ReplyKeywords(List.of("stop"), List.of("start")),
            new TimestampWindow(Duration.ofHours(192), Duration.ofHours(24)));

    /** Meta's envelope around one change of an account-level field, as in its references. */
    static String accountChange(String field, String value) {
        return """
                {"entry":[{"id":"%s","time":%d,"changes":[{"value":%s,"field":"%s"}]}],\
                "object":"whatsapp_business_account"}""".formatted(WABA_ID, T0, value, field);
    }

    @Test
    void aPausedTemplateIsPublishedWithItsIdNameLanguageAndReasonKeyedByTheAccount() {
        WebhookBatch batch = read(accountChange("message_template_status_update", """
                {"event":"PAUSED","message_template_id":1689556908129832,"message_template_name":"order_confirmation",\
                "message_template_language":"en_US","reason":"LOW_QUALITY","message_template_category":"MARKETING"}"""));

        PublishableEvent published = single(batch);
        assertThat(published.destination()).isEqualTo(Destination.ACCOUNT_SIGNALS);
        assertThat(published.key()).isEqualTo(WABA_ID);
        assertThat(published.type()).isEqualTo("account-signal");
        AccountSignal signal = (AccountSignal) published.payload();
        assertThat(signal.eventId()).isEqualTo(published.eventId().toString());
        assertThat(signal.field()).isEqualTo(AccountSignal.TEMPLATE_STATUS);
        assertThat(signal.wabaId()).isEqualTo(WABA_ID);
        assertThat(signal.event()).isEqualTo("PAUSED");
        assertThat(signal.templateId()).isEqualTo("1689556908129832");
        assertThat(signal.templateName()).isEqualTo("order_confirmation");
        assertThat(signal.templateLanguage()).isEqualTo("en_US");
        assertThat(signal.reason()).isEqualTo("LOW_QUALITY");
        assertThat(signal.metaTimestamp()).isEqualTo(Instant.ofEpochSecond(T0));
        assertThat(signal.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void aRedeliveryCarriesTheSameEventIdAndAnotherChangeAnother() {
        String paused = accountChange("message_template_status_update", """
                {"event":"PAUSED","message_template_id":12,"message_template_name":"t","message_template_language":"en"}""");
        String approved = accountChange("message_template_status_update", """
                {"event":"APPROVED","message_template_id":12,"message_template_name":"t","message_template_language":"en"}""");

        assertThat(single(read(paused)).eventId()).isEqualTo(single(read(paused)).eventId());
        assertThat(single(read(paused)).eventId()).isNotEqualTo(single(read(approved)).eventId());
    }

    @Test
    void aDisabledTemplateSaysWhenItWasDisabled() {
        AccountSignal signal = signal(accountChange("message_template_status_update", """
                {"event":"DISABLED","message_template_id":12,"message_template_name":"t","message_template_language":"en",\
                "reason":null,"disable_info":{"disable_date":"1732900000"}}"""));

        assertThat(signal.event()).isEqualTo("DISABLED");
        assertThat(signal.reason()).isEqualTo("disabled on 1732900000");
    }

    @Test
    void aQualityChangeCarriesTheNewAndPreviousScore() {
        AccountSignal signal = signal(accountChange("message_template_quality_update", """
                {"previous_quality_score":"GREEN","new_quality_score":"RED","message_template_id":12,\
                "message_template_name":"t","message_template_language":"en_US"}"""));

        assertThat(signal.field()).isEqualTo(AccountSignal.TEMPLATE_QUALITY);
        assertThat(signal.previousValue()).isEqualTo("GREEN");
        assertThat(signal.newValue()).isEqualTo("RED");
        assertThat(signal.event()).isEqualTo("RED");
    }

    @Test
    void aCompletedCategoryChangeIsToldApartFromAnImpendingOne() {
        AccountSignal completed = signal(accountChange("template_category_update", """
                {"message_template_id":12,"message_template_name":"t","message_template_language":"en_US",\
                "previous_category":"UTILITY","new_category":"MARKETING"}"""));
        AccountSignal impending = signal(accountChange("template_category_update", """
                {"message_template_id":12,"message_template_name":"t","message_template_language":"en_US",\
                "correct_category":"MARKETING","new_category":"UTILITY","category_update_timestamp":1740000000}"""));

        assertThat(completed.event()).isEqualTo(AccountSignal.CATEGORY_COMPLETED);
        assertThat(completed.previousValue()).isEqualTo("UTILITY");
        assertThat(completed.newValue()).isEqualTo("MARKETING");
        assertThat(impending.event()).isEqualTo(AccountSignal.CATEGORY_IMPENDING);
        assertThat(impending.previousValue()).as("the category now").isEqualTo("UTILITY");
        assertThat(impending.newValue()).as("the category Meta will set").isEqualTo("MARKETING");
        assertThat(impending.effectiveAt()).isEqualTo(Instant.ofEpochSecond(1740000000));
    }

    @Test
    void aThroughputUpgradeAndAFlaggedNumberNameTheDisplayNumberAndThePortfolioTier() {
        AccountSignal upgrade = signal(accountChange("phone_number_quality_update", """
                {"display_phone_number":"15550783881","event":"THROUGHPUT_UPGRADE","current_limit":"TIER_UNLIMITED"}"""));
        AccountSignal flagged = signal(accountChange("phone_number_quality_update", """
                {"display_phone_number":"+1 555-078-3881","event":"FLAGGED","old_limit":"TIER_10K",\
                "current_limit":"TIER_10K","max_daily_conversations_per_business":"TIER_2K"}"""));

        assertThat(upgrade.field()).isEqualTo(AccountSignal.NUMBER_QUALITY);
        assertThat(upgrade.displayPhoneNumber()).isEqualTo("15550783881");
        assertThat(upgrade.event()).isEqualTo("THROUGHPUT_UPGRADE");
        assertThat(upgrade.newValue()).isEqualTo("TIER_UNLIMITED");
        assertThat(upgrade.messagingLimit()).isNull();
        assertThat(flagged.displayPhoneNumber()).isEqualTo("15550783881");
        assertThat(flagged.event()).isEqualTo("FLAGGED");
        assertThat(flagged.messagingLimit()).isEqualTo(2_000L);
    }

    @Test
    void theBusinessCapabilityCarriesThePortfolioMessagingLimitWithMinusOneForUnlimited() {
        assertThat(signal(accountChange("business_capability_update", """
                {"max_daily_conversation_per_phone":2000,"max_daily_conversations_per_business":10000,\
                "max_phone_numbers_per_business":2,"max_phone_numbers_per_waba":25}""")).messagingLimit())
                .isEqualTo(10_000L);
        assertThat(signal(accountChange("business_capability_update", """
                {"max_daily_conversations_per_business":-1,"max_phone_numbers_per_business":20}""")).messagingLimit())
                .isEqualTo(-1L);
    }

    @Test
    void anAccountRestrictionCarriesEveryRestrictionAndABanItsState() {
        AccountSignal restriction = signal(accountChange("account_update", """
                {"event":"ACCOUNT_RESTRICTION","restriction_info":[\
                {"restriction_type":"RESTRICTED_BIZ_INITIATED_MESSAGING","expiration":"2026-12-19T13:59:20+0000"},\
                {"restriction_type":"RESTRICTED_ADD_PHONE_NUMBER_ACTION","expiration":"2026-12-19T13:59:20+0000"}]}"""));
        AccountSignal ban = signal(accountChange("account_update", """
                {"event":"DISABLED_UPDATE","ban_info":{"waba_ban_state":"DISABLE","waba_ban_date":"2026-12-05"}}"""));

        assertThat(restriction.event()).isEqualTo("ACCOUNT_RESTRICTION");
        assertThat(restriction.restrictions()).containsExactly(
                new AccountSignal.Restriction("RESTRICTED_BIZ_INITIATED_MESSAGING", "2026-12-19T13:59:20+0000"),
                new AccountSignal.Restriction("RESTRICTED_ADD_PHONE_NUMBER_ACTION", "2026-12-19T13:59:20+0000"));
        assertThat(ban.event()).isEqualTo("DISABLED_UPDATE");
        assertThat(ban.reason()).isEqualTo("DISABLE");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "message_template_status_update|{\"event\":\"TELEPORTED\",\"message_template_name\":\"t\"}",
            "message_template_quality_update|{\"new_quality_score\":\"PURPLE\",\"message_template_name\":\"t\"}",
            "template_category_update|{\"previous_category\":\"UTILITY\",\"new_category\":\"SERVICE\",\"message_template_name\":\"t\"}",
            "phone_number_quality_update|{\"display_phone_number\":\"15550783881\",\"event\":\"EXPLODED\"}",
            "phone_number_quality_update|{\"display_phone_number\":\"15550783881\",\"event\":\"UPGRADE\",\"current_limit\":\"TIER_7\"}",
            "business_capability_update|{\"max_daily_conversations_per_business\":12345}",
            "account_update|{\"event\":\"ACCOUNT_TELEPORTED\"}"})
    void aValueWaCastDoesNotKnowIsCountedAndNotPublished(String fieldAndValue) {
        String[] parts = fieldAndValue.split("\\|", 2);

        WebhookBatch batch = read(accountChange(parts[0], parts[1]));

        assertThat(batch.events()).isEmpty();
        assertThat(batch.ignored()).containsExactly(IgnoredReason.UNKNOWN_SIGNAL_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "message_template_status_update|{\"event\":\"PAUSED\"}",
            "message_template_status_update|{\"message_template_name\":\"t\"}",
            "message_template_status_update|\"PAUSED\"",
            "message_template_quality_update|{\"message_template_id\":12}",
            "template_category_update|{\"message_template_id\":12}",
            "phone_number_quality_update|{\"event\":\"FLAGGED\"}",
            "phone_number_quality_update|{\"display_phone_number\":\"--\",\"event\":\"FLAGGED\"}",
            "business_capability_update|{\"max_daily_conversations_per_business\":{\"a\":1}}",
            "business_capability_update|{}",
            "account_update|{\"event\":\"ACCOUNT_RESTRICTION\",\"restriction_info\":\"all\"}",
            "account_update|{\"event\":\"ACCOUNT_RESTRICTION\",\"restriction_info\":[{\"expiration\":\"x\"}]}",
            "account_update|{\"ban_info\":{}}"})
    void aMalformedValueIsCountedAsUnreadableAndNotPublished(String fieldAndValue) {
        String[] parts = fieldAndValue.split("\\|", 2);

        WebhookBatch batch = read(accountChange(parts[0], parts[1]));

        assertThat(batch.events()).isEmpty();
        assertThat(batch.ignored()).containsExactly(IgnoredReason.UNREADABLE_ENTRY);
    }

    @Test
    void aSignalDatedOutsideTheWindowIsCountedAndDropped() {
        String body = accountChange("message_template_status_update", """
                {"event":"PAUSED","message_template_id":12,"message_template_name":"t","message_template_language":"en"}""")
                .replace("\"time\":" + T0, "\"time\":" + (T0 - 30L * 24 * 3600));

        WebhookBatch batch = read(body);

        assertThat(batch.events()).isEmpty();
        assertThat(batch.ignored()).containsExactly(IgnoredReason.TIMESTAMP_OUT_OF_WINDOW);
    }

    private WebhookBatch read(String body) {
        return reader.read(body.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private AccountSignal signal(String body) {
        return (AccountSignal) single(read(body)).payload();
    }

    private static PublishableEvent single(WebhookBatch batch) {
        assertThat(batch.ignored()).isEmpty();
        assertThat(batch.events()).hasSize(1);
        return batch.events().get(0);
    }
}
