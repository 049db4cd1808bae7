package io.wacast.console.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommercePageTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "149900 | INR | ₹1,499.00",
            "5 | INR | ₹0.05",
            "-250 | USD | -$2.50",
            "1500 | JPY | ¥1,500",
            "1234567 | BHD | BHD 1,234.567",
            "149900 | inr | ₹1,499.00",
            "42 | XYZ | 42 XYZ" })
    void moneyReadsMinorUnitsWithTheCurrencysOwnDecimals(long minor, String currency, String shown) {
        assertThat(CommercePage.money(minor, currency)).isEqualTo(shown);
    }

    @Test
    void noAmountIsADash() {
        assertThat(CommercePage.money(null, "INR")).isEqualTo("—");
    }

    @ParameterizedTest
    @CsvSource({
            "+919812344321, +91••••••4321",
            "+14155550123, +1••••••0123",
            "+971501234567, +971•••••4567",
            "+91 98123 44321, +91••••••4321",
            "9812344321, ••••••4321",
            "+9112, ••••",
            "12345, •••••" })
    void aMaskedNumberKeepsOnlyTheCountryCodeAndTheLastFourDigits(String phone, String shown) {
        assertThat(CommercePage.masked(phone)).isEqualTo(shown);
    }

    @Test
    void noMaskShowsMoreThanTheCountryCodeAndFourDigits() {
        Random random = new Random(20261205L);
        for (int i = 0; i < 2000; i++) {
            StringBuilder phone = new StringBuilder(random.nextBoolean() ? "+" : "");
            int length = 1 + random.nextInt(15);
            for (int d = 0; d < length; d++) {
                phone.append((char) ('0' + random.nextInt(10)));
            }
            String digits = phone.toString().replaceAll("\\D", "");
            String masked = CommercePage.masked(phone.toString());
            String shown = masked.replaceAll("\\D", "");
            assertThat(masked).as(phone + " → " + masked).contains("•");
            if (!shown.isEmpty()) {
                String country = shown.substring(0, shown.length() - 4);
                assertThat(country.length()).as(phone + " → " + masked).isLessThanOrEqualTo(3);
                assertThat(digits).as(phone + " → " + masked).startsWith(country).endsWith(shown.substring(country.length()));
                assertThat(digits.length() - shown.length()).as(phone + " → " + masked).isGreaterThanOrEqualTo(3);
            }
        }
    }
}
