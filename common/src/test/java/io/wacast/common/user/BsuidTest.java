package io.wacast.common.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BsuidTest {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @ParameterizedTest
    @ValueSource(strings = {"US.13491208655302741918", "BR.1502576394655843", "US.ENT.11815799212886844830", "IN.a"})
    void metasDocumentedShapesAreBsuids(String value) {
        assertThat(Bsuid.isValid(value)).isTrue();
        assertThat(Bsuid.country(value)).contains(value.substring(0, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "13491208655302741918", "us.1349", "USA.1349", "US.", "US..1349", "US.13-49",
            "US.1349 ", "+919978783238", "US.ENT.", "U.1349"})
    void otherValuesAreNot(String value) {
        assertThat(Bsuid.isValid(value)).isFalse();
        assertThat(Bsuid.mask(value)).doesNotContain("1349").doesNotContain("9978");
    }

    static Stream<String> generated() {
        Random random = new Random(17);
        return IntStream.range(0, 300).mapToObj(i -> {
            StringBuilder id = new StringBuilder();
            int length = 1 + random.nextInt(140);
            for (int c = 0; c < length; c++) {
                id.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
            }
            return (char) ('A' + random.nextInt(26)) + "" + (char) ('A' + random.nextInt(26)) + "." + id;
        });
    }

    @ParameterizedTest
    @MethodSource("generated")
    void upTo128CharactersAfterTheCountryAreAcceptedAndLongerOnesNot(String value) {
        assertThat(Bsuid.isValid(value)).isEqualTo(value.length() - 3 <= 128);
    }

    @Test
    void aMaskKeepsTheCountryAndTheLastFourCharactersOnly() {
        assertThat(Bsuid.mask("US.13491208655302741918")).isEqualTo("US.…1918");
        assertThat(Bsuid.mask(null)).isEqualTo("null");
        assertThat(Bsuid.mask("US.1349-bad")).isEqualTo("<11 characters>");
    }
}
