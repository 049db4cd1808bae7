package io.wacast.webhook.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.wacast.common.event.InboundKind;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The default keywords of {@code WebhookConfig}, as the running service reads them. */
@QuarkusTest
class ReplyKeywordsTest {

    @Inject
    ReplyKeywords defaults;

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", " Stop! ", "STOP ALL", "stop   all", "Unsubscribe.", "Stop promotions",
            "opt-out", "PARAR", "¡Parar!", "darme de baja", "ARRÊTER", "arreter", "Stopp", "SAIR", "berhenti", "Стоп",
            "रुकें", "बंद करें", "रुकें।", "إيقاف", "STOP 🛑"})
    void wholeMessageStopKeywordsInSeveralLanguagesOptOut(String text) {
        assertThat(defaults.classify(text)).contains(InboundKind.OPT_OUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"START", "Unstop", "resume", "opt in", "शुरू करें"})
    void wholeMessageStartKeywordsOptBackIn(String text) {
        assertThat(defaults.classify(text)).contains(InboundKind.OPT_IN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cancel", "CANCEL my order", "end", "quit", "stop sending at night please",
            "can I stop my order?", "don't stop", "stopwatch", "Bali", "बंद", "", "   "})
    void ordinaryRepliesAndAmbiguousWordsAreNotKeywords(String text) {
        assertThat(defaults.classify(text)).isEmpty();
    }

    @Test
    void configuredKeywordsReplaceTheDefaults() {
        ReplyKeywords custom = new ReplyKeywords(List.of("halt"), List.of("go"));

        assertThat(custom.classify("HALT!")).contains(InboundKind.OPT_OUT);
        assertThat(custom.classify("Go")).contains(InboundKind.OPT_IN);
        assertThat(custom.classify("stop")).isEmpty();
    }
}
