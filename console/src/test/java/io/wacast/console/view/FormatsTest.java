package io.wacast.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {

    @ParameterizedTest
    @CsvSource({
            "1234550, INR, 'INR 12,345.50'",
            "5, USD, USD 0.05",
            "0, EUR, EUR 0.00",
            "1500, JPY, 'JPY 1,500'",
            "1234, KWD, KWD 1.234",
            "-250, BRL, BRL -2.50",
            "12345, XQQ, XQQ 123.45"})
    void revenueInMinorUnitsReadsInTheCurrencysOwnDigits(long minor, String currency, String shown) {
        assertThat(Formats.minorUnits(minor, currency)).isEqualTo(shown);
    }

    @Test
    void noAmountIsADash() {
        assertThat(Formats.minorUnits(null, "INR")).isEqualTo("—");
    }

    @ParameterizedTest
    @CsvSource({
            "TIER_250, 250 users / 24 h",
            "TIER_2K, '2,000 users / 24 h'",
            "TIER_10K, '10,000 users / 24 h'",
            "TIER_100K, '100,000 users / 24 h'",
            "tier_1m, '1,000,000 users / 24 h'",
            "TIER_UNLIMITED, Unlimited",
            "TIER_NOT_SET, TIER NOT SET"})
    void aMessagingLimitTierReadsAsTheUsersItAllowsIn24Hours(String tier, String shown) {
        assertThat(Formats.tier(tier)).isEqualTo(shown);
    }
}
