package io.wacast.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControlCharactersTest {

    @ParameterizedTest
    @ValueSource(strings = {"Bali\u0000", "a\nb", "a\rb", "a\tb", "\u001B[31m", "x\u007F", "x\u0085", "x\u009F",
            "x\u2028", "\u202Egpj.exe", "a\u202Ab", "a\u2066b", "a\u2069b"})
    void namesRefuseControlsLineBreaksAndBidiOverrides(String value) {
        assertThat(ControlCharacters.problem(value, false)).isPresent().get().asString().contains("U+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Day 1:\tarrival\r\nDay 2", "line\nline"})
    void freeTextKeepsTabsAndLineBreaks(String value) {
        assertThat(ControlCharacters.problem(value, true)).isEmpty();
        assertThat(ControlCharacters.problem(value, false)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u001B", "\u202E", "\u0085"})
    void freeTextStillRefusesOtherControls(String value) {
        assertThat(ControlCharacters.problem("text " + value, true)).isPresent();
    }

    @Test
    void ordinaryTextInAnyScriptIsAccepted() {
        for (String value : new String[] {"Bali 5 nights", "बाली ५ रातें", "بالي", "שלום\u200F", "🏝️ Bali", "Ümlaut ß"}) {
            assertThat(ControlCharacters.problem(value, false)).as(value).isEmpty();
        }
    }

    @Test
    void theFirstUnsafeCharacterIsNamedWithItsPositionOverManyGeneratedStrings() {
        Random random = new Random(19);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(30);
            for (int i = 0; i < length; i++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            int at = random.nextInt(length);
            char unsafe = (char) random.nextInt(0x20);
            if (unsafe == '\t' || unsafe == '\n' || unsafe == '\r') {
                unsafe = 0;
            }
            text.setCharAt(at, unsafe);
            assertThat(ControlCharacters.problem(text.toString(), true)).get().asString()
                    .contains("at position " + (at + 1));
        }
    }
}
