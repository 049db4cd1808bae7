package io.wacast.common.phone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.wacast.common.phone.PhoneNumberResult.Invalid;
import io.wacast.common.phone.PhoneNumberResult.Valid;
import io.wacast.common.testing.Generated;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    private static final PhoneNumberUtil LIBPHONENUMBER = PhoneNumberUtil.getInstance();

    @ParameterizedTest(name = "''{0}'' in {1} is {2}")
    @CsvSource(delimiter = '|', value = {
        "+91 99787 83238       | IN | +919978783238   | IN",
        "9978783238            | IN | +919978783238   | IN",
        "09978783238           | IN | +919978783238   | IN",
        "0091 99787 83238      | IN | +919978783238   | IN",
        "919978783238          | IN | +919978783238   | IN",
        "(+91) 99787-83238     | IN | +919978783238   | IN",
        "+91.99787.83238       | IN | +919978783238   | IN",
        "+919978783238         | GB | +919978783238   | IN",
        "07400 123456          | GB | +447400123456   | GB",
        "+44 (0)7400 123456    | GB | +447400123456   | GB",
        "020 7946 0958         | GB | +442079460958   | GB",
        "(201) 555-0123        | US | +12015550123    | US",
        "201-555-0123          | us | +12015550123    | US",
        "011 44 7400 123456    | US | +447400123456   | GB",
        "+1 305 209 0123       | IN | +13052090123    | US",
        "(11) 96123-4567       | BR | +5511961234567  | BR",
        "+55 11 96123 4567     | IN | +5511961234567  | BR",
        "01512 3456789         | DE | +4915123456789  | DE",
        "+49 (0) 151 2345 6789 | DE | +4915123456789  | DE",
        "0049 30 123456        | DE | +4930123456     | DE",
    })
    void acceptsNumbersFromSeveralRegionsInTheirUsualFormats(
            String raw, String defaultRegion, String e164, String region) {
        assertThat(PhoneNumbers.normalise(raw, defaultRegion)).isEqualTo(new Valid(e164, region));
    }

    @Test
    void internationalNumbersNeedNoDefaultRegion() {
        assertThat(PhoneNumbers.normalise("+91 99787 83238", null)).isEqualTo(new Valid("+919978783238", "IN"));
        assertThat(PhoneNumbers.normalise("+44 7400 123456", " ")).isEqualTo(new Valid("+447400123456", "GB"));
    }

    @Test
    void acceptsNonBreakingSpacesAndUnicodeDashes() {
        assertThat(PhoneNumbers.normalise("+91\u00A099787\u201083238", "IN"))
                .isEqualTo(new Valid("+919978783238", "IN"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void rejectsEmptyInput(String raw) {
        assertThat(reason(raw, "IN")).isEqualTo("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "abc9978783238", "+91 99787 83238 ext 12", "+1-800-FLOWERS", "tel:+919978783238",
            "99787#83238"})
    void rejectsTextThatIsNotAPhoneNumber(String raw) {
        assertThat(reason(raw, "IN")).startsWith("not a phone number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"()", "+", "---", "1"})
    void rejectsPunctuationWithoutANumber(String raw) {
        assertThat(reason(raw, "IN")).isEqualTo("not a phone number");
    }

    @Test
    void rejectsNumbersThatAreTooShort() {
        assertThat(reason("123", "IN")).isEqualTo("too short for IN");
        assertThat(reason("+44 74", "IN")).isEqualTo("too short for GB");
    }

    @Test
    void rejectsNumbersThatAreTooLong() {
        assertThat(reason("+91 99787 83238 12345", "IN")).isEqualTo("too long for IN");
        assertThat(reason("+91 99787 83238 12345 67890 1234", "IN")).isEqualTo("too long");
    }

    @Test
    void rejectsNumbersThatDoNotExistInTheirRegion() {
        assertThat(reason("+91 55555 55555", "IN")).isEqualTo("not a valid number for IN");
        assertThat(reason("+1 800 123 4567", "US")).isEqualTo("not a valid number for US");
        assertThat(reason("+55 11 6123-4567", "BR")).isEqualTo("not a valid number for BR");
    }

    @Test
    void rejectsLocalNumbersWithoutAreaCode() {
        assertThat(reason("7946 0958", "GB")).isEqualTo("incomplete number: area code missing for GB");
    }

    @Test
    void rejectsUnknownCountryCodes() {
        assertThat(reason("+999 1234567", "IN")).isEqualTo("unknown country code");
    }

    @Test
    void rejectsNationalNumbersWithoutADefaultRegion() {
        assertThat(reason("99787 83238", null)).startsWith("missing or unknown country code");
    }

    @Test
    void rejectsAnUnknownDefaultRegion() {
        assertThat(reason("99787 83238", "XX")).isEqualTo("unknown default region 'XX'");
        assertThat(PhoneNumbers.isKnownRegion("XX")).isFalse();
        assertThat(PhoneNumbers.isKnownRegion("in")).isTrue();
    }

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "1800 12 3456      | IN | toll-free",
        "0800 123 4567     | GB | toll-free",
        "+1 800 234 5678   | US | toll-free",
        "+800 1234 5678    | IN | toll-free",
        "0901 234 5678     | GB | premium-rate",
        "+1 900 234 5678   | US | premium-rate",
        "1860 345 1234     | IN | shared-cost",
        "0180 1 2345       | DE | shared-cost",
        "076 4012 3456     | GB | pager",
        "055 1234 5678     | GB | universal access (UAN)",
        "0177 99 1234567   | DE | voicemail",
    })
    void rejectsNumbersThatCannotReceiveMessages(String raw, String region, String type) {
        assertThat(reason(raw, region)).isEqualTo(type + " number cannot receive WhatsApp messages");
    }

    @Test
    void acceptsFixedLineVoipAndPersonalNumbersWhichCanRunWhatsApp() {
        assertThat(PhoneNumbers.normalise("0121 234 5678", "GB")).isInstanceOf(Valid.class);
        assertThat(PhoneNumbers.normalise("056 1234 5678", "GB")).isInstanceOf(Valid.class);
        assertThat(PhoneNumbers.normalise("070 1234 5678", "GB")).isInstanceOf(Valid.class);
    }

    @Test
    void theInvalidResultKeepsTheInput() {
        assertThat(PhoneNumbers.normalise("12-3", "IN")).isEqualTo(new Invalid("12-3", "too short for IN"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "+919978783238   | +91******3238",
        "+91 99787 83238 | +91******3238",
        "+447400123456   | +44******3456",
        "9978783238      | ******3238",
        "+9112345678     | +91****5678",
    })
    void masksAllButTheCountryCodeAndLastFourDigits(String phone, String masked) {
        assertThat(PhoneNumbers.mask(phone)).isEqualTo(masked);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"+4412", "+911234567", "1234567", "abc"})
    void masksShortInputEntirely(String phone) {
        assertThat(PhoneNumbers.mask(phone)).isEqualTo("****");
    }

    @ParameterizedTest
    @MethodSource("mobileNumbersAndRegions")
    void normalisingANormalisedNumberChangesNothing(String e164, String region) {
        PhoneNumberResult first = PhoneNumbers.normalise(e164, region);
        if (first instanceof Valid valid) {
            assertThat(PhoneNumbers.normalise(valid.e164(), region)).isEqualTo(valid);
            assertThat(PhoneNumbers.normalise(valid.e164(), null)).isEqualTo(valid);
            assertThat(PhoneNumbers.normalise(valid.e164(), "DE")).isEqualTo(valid);
        }
    }

    @ParameterizedTest
    @MethodSource("mobileNumbersWithSeparators")
    void separatorsAnywhereDoNotChangeTheResult(String e164, List<Integer> positions, String separator) {
        StringBuilder formatted = new StringBuilder(e164);
        positions.stream()
                .map(p -> 1 + p % e164.length())
                .sorted((a, b) -> b - a)
                .forEach(p -> formatted.insert(Math.min(p, formatted.length()), separator));

        assertThat(verdict(PhoneNumbers.normalise(formatted.toString(), "IN")))
                .isEqualTo(verdict(PhoneNumbers.normalise(e164, "IN")));
    }

    @ParameterizedTest
    @MethodSource("phoneLikeStrings")
    void maskNeverRevealsMoreThanTheLastFourDigits(String phone) {
        String masked = PhoneNumbers.mask(phone);
        String digits = phone.replaceAll("[^0-9]", "");
        String shownDigits = masked.replaceAll("[^0-9]", "");

        if (masked.startsWith("+")) {
            assertThat(shownDigits).isEqualTo(digits.substring(0, 2) + digits.substring(digits.length() - 4));
        } else {
            assertThat(shownDigits).isIn("", digits.substring(Math.max(0, digits.length() - 4)));
        }
        assertThat(masked.chars().filter(c -> c == '*').count()).isGreaterThanOrEqualTo(4);
    }

    private static final List<String> REGIONS = List.of("IN", "GB", "US", "BR", "DE", "FR", "ID", "NG", "AE", "MX", "JP", "ZA");
    private static final String DIGITS = "0123456789";

    /** Example mobile numbers of every region libphonenumber knows. */
    private static final List<PhoneNumber> EXAMPLES = LIBPHONENUMBER.getSupportedRegions().stream().sorted()
            .map(region -> LIBPHONENUMBER.getExampleNumberForType(region, PhoneNumberType.MOBILE))
            .filter(Objects::nonNull)
            .toList();

    /** An example mobile number of some region with its last three digits varied. */
    private static String mobileNumber(Generated g) {
        String e164 = LIBPHONENUMBER.format(g.oneOf(EXAMPLES), PhoneNumberFormat.E164);
        return e164.substring(0, e164.length() - 3) + g.string(DIGITS, 3, 3);
    }

    static Stream<Arguments> mobileNumbersAndRegions() {
        return Generated.cases(20_501, g -> Arguments.of(mobileNumber(g), g.oneOf(REGIONS)));
    }

    static Stream<Arguments> mobileNumbersWithSeparators() {
        return Generated.cases(20_502, g -> Arguments.of(mobileNumber(g), g.listOf(0, 4, () -> g.between(0, 100)),
                g.oneOf(" ", "-", ".", "\u00A0")));
    }

    /** Digits, digits after a plus, or digits mixed with the characters people format numbers with. */
    static Stream<Arguments> phoneLikeStrings() {
        return Generated.cases(20_503, g -> Arguments.of(switch (g.between(0, 2)) {
            case 0 -> g.string(DIGITS, 0, 20);
            case 1 -> "+" + g.string(DIGITS, 0, 20);
            default -> g.string("0123456789 -+()", 0, 25);
        }));
    }

    /** The number for a valid result, the reason for an invalid one: what must not depend on formatting. */
    private static Object verdict(PhoneNumberResult result) {
        return result instanceof Invalid invalid ? invalid.reason() : result;
    }

    private static String reason(String raw, String region) {
        PhoneNumberResult result = PhoneNumbers.normalise(raw, region);
        assertThat(result).isInstanceOf(Invalid.class);
        return ((Invalid) result).reason();
    }
}
