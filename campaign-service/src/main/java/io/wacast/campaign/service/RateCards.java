package io.wacast.campaign.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.RateCard;

/**
 * The rate card the plan prices recipients with: the operator's file when
 * {@code wacast.campaign.plan.rate-card} names one, else the {@code rate-card.csv} shipped in the jar.
 * Read at start, so a missing or malformed file stops the service with the line that is wrong
 * instead of surfacing in the first plan.
 */
@Startup
@ApplicationScoped
public class RateCards {

    static final String SHIPPED = "rate-card.csv";

    private final RateCard card;

    RateCards(CampaignConfig config) {
        this.card = config.plan().rateCard().map(RateCards::fromFile).orElseGet(RateCards::shipped);
    }

    public RateCard card() {
        return card;
    }

    private static RateCard fromFile(String location) {
        Path path = Path.of(location);
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return RateCard.parse(path.toString(), reader);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("wacast.campaign.plan.rate-card: no such file " + path.toAbsolutePath());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("wacast.campaign.plan.rate-card: " + e.getMessage(), e);
        }
    }

    private static RateCard shipped() {
        try (InputStream in = RateCards.class.getClassLoader().getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("the shipped " + SHIPPED + " is missing from the class path");
            }
            return RateCard.parse("classpath:" + SHIPPED, new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the shipped " + SHIPPED + " cannot be read: " + e.getMessage(), e);
        }
    }
}
