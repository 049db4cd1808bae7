package io.wacast.campaign.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStreamReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import io.wacast.campaign.domain.RateCard;
import io.wacast.campaign.domain.TemplateCategory;

class RateCardTest {

    private static final String CARD = """
            # comment
            country,category,price,currency,valid_from
            *,marketing,0.0604,USD,2025-07-01
            AR,marketing,0.0618,USD,2025-07-01
            AR,marketing,0.0773,USD,2026-01-01
            """;

    @Test
    void theLatestRowValidOnTheDayWinsAndOtherCountriesGetTheRestOfWorldRate() throws Exception {
        RateCard card = RateCard.parse("test", new StringReader(CARD));
        assertThat(card.price("AR", TemplateCategory.MARKETING, LocalDate.of(2025, 12, 31)).orElseThrow().unit())
                .isEqualByComparingTo("0.0618");
        assertThat(card.price("AR", TemplateCategory.MARKETING, LocalDate.of(2026, 1, 1)).orElseThrow().unit())
                .isEqualByComparingTo("0.0773");
        RateCard.Price other = card.price("FR", TemplateCategory.MARKETING, LocalDate.of(2026, 6, 1)).orElseThrow();
        assertThat(other.restOfWorld()).isTrue();
        assertThat(other.unit()).isEqualTo(new BigDecimal("0.0604"));
        assertThat(card.price("AR", TemplateCategory.UTILITY, LocalDate.of(2026, 6, 1))).isEmpty();
    }

    @Test
    void aMalformedCardNamesTheLineAndTheProblem() {
        assertThatThrownBy(() -> RateCard.parse("mine.csv", new StringReader(CARD + "BR,marketing,cheap,USD,2026-01-01\n")))
                .hasMessageContaining("mine.csv, line 6").hasMessageContaining("price is not a number");
        assertThatThrownBy(() -> RateCard.parse("mine.csv", new StringReader("country,price\n")))
                .hasMessageContaining("line 1").hasMessageContaining("header");
        assertThatThrownBy(() -> RateCard.parse("mine.csv", new StringReader(CARD + "Brazil,marketing,1,USD,2026-01-01\n")))
                .hasMessageContaining("ISO 3166");
    }

    @Test
    void theShippedCardParsesAndPricesEveryCategoryForEveryCountry() throws Exception {
        try (var in = RateCards.class.getClassLoader().getResourceAsStream(RateCards.SHIPPED)) {
            RateCard card = RateCard.parse("shipped", new InputStreamReader(in, StandardCharsets.UTF_8));
            for (TemplateCategory category : TemplateCategory.values()) {
                assertThat(card.price("ZW", category, LocalDate.of(2026, 12, 3))).isPresent();
            }
            assertThat(card.price("IN", TemplateCategory.MARKETING, LocalDate.of(2026, 12, 3)).orElseThrow().currency())
                    .isEqualTo("INR");
        }
    }
}
