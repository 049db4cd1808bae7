package io.wacast.campaign.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.domain.RateCard;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.campaign.repository.ChargeRepository;
import io.wacast.common.event.StatusEvent;
import io.wacast.common.user.Bsuid;

/**
 * What Meta charges for a campaign's messages (docs/DESIGN.md §4, "What Meta charges"), from the
 * {@code pricing} object of status webhooks: counted once per message in the applier's transaction, by
 * category and the recipient's country, and priced with the rate card the pre-flight plan uses, next to
 * the plan's estimate for the same campaign.
 */
@ApplicationScoped
public class CampaignCharges {

    /** Country of a charge whose recipient's country is unknown (no number, no BSUID). */
    static final String UNKNOWN_COUNTRY = "ZZ";

    private final ChargeRepository repository;
    private final RateCards rateCards;

    CampaignCharges(ChargeRepository repository, RateCards rateCards) {
        this.repository = repository;
        this.rateCards = rateCards;
    }

    /**
     * Records the charged messages of the batch's statuses of campaign jobs; a status without pricing, or
     * whose pricing says it is not charged (billable false, a free type), counts nothing.
     */
    public void record(List<Evidence> fresh) {
        Map<String, ChargeRepository.Charge> charges = new LinkedHashMap<>();
        for (Evidence e : fresh) {
            UserFacts user = e.user();
            if (e.effect() != Evidence.Effect.REPORT || e.job() == null || e.wamid() == null || user == null
                    || user.pricing() == null || !user.pricing().charged()) {
                continue;
            }
            StatusEvent.Pricing pricing = user.pricing();
            String category = pricing.category() == null ? "unknown" : pricing.category().toLowerCase(Locale.ROOT);
            charges.putIfAbsent(e.wamid(), new ChargeRepository.Charge(e.wamid(), e.job().campaignId(),
                    category.length() <= 32 ? category : category.substring(0, 32), country(user),
                    pricing.pricingModel() == null || pricing.pricingModel().length() > 16 ? null : pricing.pricingModel(),
                    e.at()));
        }
        repository.record(charges.values());
    }

    /**
     * The recipient's country: libphonenumber's region of the number's prefix ({@code +} and four digits,
     * as the plan groups numbers; cached, the applier's hot path), else the BSUID's country.
     */
    static String country(UserFacts user) {
        if (user.phone() != null && user.phone().length() > 5) {
            String region = REGIONS.computeIfAbsent(user.phone().substring(0, 5), prefix -> region(user.phone()));
            if (region != null) {
                return region;
            }
        }
        return Optional.ofNullable(user.bsuid()).flatMap(Bsuid::country).orElse(UNKNOWN_COUNTRY);
    }

    private static final java.util.concurrent.ConcurrentMap<String, String> REGIONS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static String region(String phone) {
        String region = PlanService.countryOf(phone);
        return region != null && region.length() == 2 && !"ZZ".equals(region) ? region : null;
    }

    /**
     * The campaign's charges: messages by category and by country, and per line the rate card's price.
     * Read from the rollup only, so the stats can carry it.
     */
    @Transactional
    public Charges charges(long campaignId) {
        List<ChargeRepository.Line> lines = repository.lines(campaignId);
        RateCard card = rateCards.card();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, Long> byCategory = new TreeMap<>();
        Map<String, Long> byCountry = new TreeMap<>();
        Map<String, BigDecimal> totals = new TreeMap<>();
        List<Line> priced = new ArrayList<>();
        long messages = 0;
        for (ChargeRepository.Line line : lines) {
            messages += line.messages();
            byCategory.merge(line.category(), line.messages(), Long::sum);
            byCountry.merge(line.country(), line.messages(), Long::sum);
            Optional<RateCard.Price> price = category(line.category()).flatMap(c -> card.price(line.country(), c, today));
            BigDecimal subtotal = price.map(p -> p.unit().multiply(BigDecimal.valueOf(line.messages()))).orElse(null);
            price.ifPresent(p -> totals.merge(p.currency(), subtotal, BigDecimal::add));
            priced.add(new Line(line.category(), line.country(), line.messages(), price.map(RateCard.Price::unit).orElse(null),
                    price.map(RateCard.Price::currency).orElse(null), subtotal,
                    price.map(RateCard.Price::restOfWorld).orElse(false)));
        }
        return new Charges(messages, byCategory, byCountry, priced, totals(totals), card.source());
    }

    /** The charges next to the plan's estimate: every recipient sent or to be sent, at the template's category. */
    @Transactional
    public ChargesAndEstimate withEstimate(long campaignId) {
        Campaign campaign = Campaign.<Campaign>findByIdOptional(campaignId)
                .orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
        Template template = Template.findByNameAndLanguage(campaign.templateName, campaign.templateLanguage).orElse(null);
        TemplateCategory category = template == null ? TemplateCategory.MARKETING : template.category;
        RateCard card = rateCards.card();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, Long> byCountry = new TreeMap<>();
        for (ChargeRepository.PrefixCount group : repository.sendableByPrefix(campaignId)) {
            byCountry.merge(PlanService.countryOf(group.sample()), group.recipients(), Long::sum);
        }
        Map<String, BigDecimal> totals = new TreeMap<>();
        long messages = 0;
        long unpriced = 0;
        for (Map.Entry<String, Long> country : byCountry.entrySet()) {
            messages += country.getValue();
            Optional<RateCard.Price> price = card.price(country.getKey(), category, today);
            if (price.isEmpty()) {
                unpriced += country.getValue();
                continue;
            }
            totals.merge(price.get().currency(), price.get().unit().multiply(BigDecimal.valueOf(country.getValue())),
                    BigDecimal::add);
        }
        return new ChargesAndEstimate(charges(campaignId),
                new Estimate(category.value(), messages, byCountry, unpriced, totals(totals)));
    }

    private static Optional<TemplateCategory> category(String value) {
        try {
            return Optional.of(TemplateCategory.fromString(value));
        } catch (RuntimeException unknown) {
            return Optional.empty();
        }
    }

    private static List<CampaignPlan.Total> totals(Map<String, BigDecimal> totals) {
        return totals.entrySet().stream().map(t -> new CampaignPlan.Total(t.getKey(), t.getValue())).toList();
    }

    /**
     * @param messages messages Meta charges for (each once)
     * @param byCategory by Meta's pricing category ({@code marketing}, {@code utility}, {@code authentication}, …)
     * @param byCountry by the recipient's country (ISO 3166; {@code ZZ} unknown)
     * @param lines per category and country, with the rate card's price (null when the card has none)
     * @param cost the sum per currency
     * @param rateCard where the prices come from
     */
    public record Charges(long messages, Map<String, Long> byCategory, Map<String, Long> byCountry, List<Line> lines,
            List<CampaignPlan.Total> cost, String rateCard) {
    }

    public record Line(String category, String country, long messages, BigDecimal unitPrice, String currency,
            BigDecimal subtotal, boolean restOfWorld) {
    }

    /**
     * The plan's way of estimating, over every recipient sent or to be sent (not opted out or cancelled):
     * all delivered, at the template's category.
     *
     * @param unpriced messages to countries the rate card has no price for
     */
    public record Estimate(String category, long messages, Map<String, Long> byCountry, long unpriced,
            List<CampaignPlan.Total> cost) {
    }

    public record ChargesAndEstimate(Charges charges, Estimate estimate) {
    }
}
