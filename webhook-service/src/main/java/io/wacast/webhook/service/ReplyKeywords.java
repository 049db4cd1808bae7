package io.wacast.webhook.service;

import io.wacast.common.event.InboundKind;
import io.wacast.webhook.config.WebhookConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.text.Normalizer;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Recognises replies that opt a user out of (or back into) marketing: the whole message must be a
 * keyword, so "stop sending at night" or "can I stop my order?" are ordinary replies. Messages and
 * keywords are compared after the same folding: Unicode NFKC, case, Latin accents ("ARRÊTER" =
 * "arreter"), runs of spaces, and punctuation or emoji around the word ("Stop!", "¡PARAR!", "रुकें।").
 */
@Singleton
public class ReplyKeywords {

    private static final Pattern LATIN_ACCENTS = Pattern.compile("[\\u0300-\\u036f]");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern EDGES = Pattern.compile("^[\\p{P}\\p{S}\\s]+|[\\p{P}\\p{S}\\s]+$");
    /** Longer texts are never a keyword; skips folding whole paragraphs. */
    private static final int LONGEST_KEYWORD_TEXT = 64;

    private final Set<String> optOut;
    private final Set<String> optIn;

    @Inject
    ReplyKeywords(WebhookConfig config) {
        this(config.keywords().optOut(), config.keywords().optIn());
    }

    public ReplyKeywords(Collection<String> optOut, Collection<String> optIn) {
        this.optOut = fold(optOut);
        this.optIn = fold(optIn);
    }

    /** {@link InboundKind#OPT_OUT} or {@link InboundKind#OPT_IN} when the text is such a keyword. */
    public Optional<InboundKind> classify(String text) {
        if (text == null || text.length() > LONGEST_KEYWORD_TEXT) {
            return Optional.empty();
        }
        String folded = fold(text);
        if (optOut.contains(folded)) {
            return Optional.of(InboundKind.OPT_OUT);
        }
        if (optIn.contains(folded)) {
            return Optional.of(InboundKind.OPT_IN);
        }
        return Optional.empty();
    }

    static String fold(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        String unaccented = LATIN_ACCENTS.matcher(decomposed).replaceAll("");
        String composed = Normalizer.normalize(unaccented, Normalizer.Form.NFKC);
        String trimmed = EDGES.matcher(composed).replaceAll("");
        return SPACES.matcher(trimmed).replaceAll(" ")
                .toUpperCase(Locale.ROOT)
                .toLowerCase(Locale.ROOT);
    }

    private static Set<String> fold(Collection<String> keywords) {
        return keywords.stream()
                .map(ReplyKeywords::fold)
                .filter(keyword -> !keyword.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
