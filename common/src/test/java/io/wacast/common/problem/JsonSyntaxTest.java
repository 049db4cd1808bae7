package io.wacast.common.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonSyntaxTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static Stream<Arguments> bodies() {
        byte[] badUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x28, (byte) 0xA1, '"', '}'};
        return Stream.of(
                Arguments.of("{} trailing".getBytes(StandardCharsets.UTF_8), "at line 1, column 4: unexpected character"),
                Arguments.of("{} {}".getBytes(StandardCharsets.UTF_8), "more content after the end of the JSON value"),
                Arguments.of("[".repeat(1500).getBytes(StandardCharsets.UTF_8), "nested too deeply"),
                Arguments.of(badUtf8, "not valid UTF-8"),
                Arguments.of("{\"a\": [1, 2".getBytes(StandardCharsets.UTF_8), "ends before the JSON is complete"),
                Arguments.of("{\"a\": nope}".getBytes(StandardCharsets.UTF_8), "unexpected character"),
                Arguments.of(("{\"a\": " + "9".repeat(2000) + "}").getBytes(StandardCharsets.UTF_8), "a number is too long"));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void parseErrorsAreDescribedInPlainWordsWithWhereTheyHappenedAndNoParserInternals(byte[] body, String expected) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> MAPPER.readTree(body));

        String description = JsonSyntax.describe(e);

        assertThat(description).startsWith("not valid JSON").contains(expected)
                .doesNotContainIgnoringCase("StreamReadConstraints").doesNotContainIgnoringCase("jackson")
                .doesNotContain("Exception").doesNotContain("middle byte").doesNotContain("0x")
                .doesNotContain("`");
    }
}
