package io.wacast.campaign.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.domain.RateCard;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.campaign.domain.TemplateStatus;
import io.wacast.campaign.repository.PlanRepository;
import io.wacast.campaign.repository.SignalRepository;

/**
 * The pre-flight plan of a campaign: who will be sent, when the last message leaves, whether the
 * portfolio's messaging limit holds it, what it costs. Counting happens in SQL, grouped by number
 * prefix; the countries of the prefixes are libphonenumber's.
 */
@ApplicationScoped
public class PlanService {

    private static final PhoneNumberUtil LIBPHONENUMBER = PhoneNumberUtil.getInstance();
    private static final Set<String> TIERS = Set.of("250", "2000", "10000", "100000", "unlimited");

    private final CampaignConfig config;
    private final PlanRepository repository;
    private final RateCards rateCards;
    private final Set<String> blocked;

    private final SignalRepository signals;
    /** The campaign's audience in the plan (issue 15). */
    @jakarta.inject.Inject
    AudienceService audiencePlan;

    PlanService(CampaignConfig config, PlanRepository repository, RateCards rateCards, SignalRepository signals) {
        this.config = config;
        this.repository = repository;
        this.rateCards = rateCards;
        this.signals = signals;
        this.blocked = config.plan().blockedCountries().orElse(Set.of()).stream()
                .map(code -> code.strip().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        String tier = config.plan().messagingLimitTier().strip().toLowerCase(Locale.ROOT);
        if (!TIERS.contains(tier)) {
            throw new IllegalStateException("wacast.campaign.plan.messaging-limit-tier must be one of 250, 2000, 10000,"
                    + " 100000, unlimited; found '" + config.plan().messagingLimitTier() + "'");
        }
    }

    @Transactional
    public CampaignPlan plan(long campaignId) {
        Instant now = Instant.now();
        Campaign campaign = Campaign.<Campaign>findByIdOptional(campaignId)
                .orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
        Template template = Template.findByNameAndLanguage(campaign.templateName, campaign.templateLanguage).orElse(null);
        TemplateCategory category = template == null ? TemplateCategory.MARKETING : template.category;
        List<String> warnings = new ArrayList<>();

        // recipients, by prefix → country
        List<String> keysWithoutDefault = template == null ? List.of()
                : template.variables().missing(campaign.templateVariables, Map.of());
        boolean marketing = category == TemplateCategory.MARKETING;
        PlanRepository.Counts counts = repository.counts(campaignId, keysWithoutDefault, marketing);
        Map<String, Long> suppressed = counts.suppressed();
        Map<String, Long> withoutOptIn = counts.withoutOptIn();
        Map<String, Long> missing = counts.missingVariables();
        long pending = 0;
        long optedOut = 0;
        long noOptIn = 0;
        long blockedCountry = 0;
        long usMarketing = 0;
        long missingVariables = 0;
        Map<String, Long> willSendByCountry = new TreeMap<>();
        for (PlanRepository.PrefixCount group : counts.pending()) {
            String country = countryOf(group.sample());
            long suppressedHere = suppressed.getOrDefault(group.prefix(), 0L);
            long withoutOptInHere = withoutOptIn.getOrDefault(group.prefix(), 0L);
            long eligible = group.recipients() - suppressedHere - withoutOptInHere;
            pending += group.recipients();
            optedOut += suppressedHere;
            noOptIn += withoutOptInHere;
            if (blocked.contains(country)) {
                blockedCountry += eligible;
            } else if ("US".equals(country) && category == TemplateCategory.MARKETING) {
                usMarketing += eligible;
            } else {
                long missingHere = missing.getOrDefault(group.prefix(), 0L);
                missingVariables += missingHere;
                willSendByCountry.merge(country, eligible - missingHere, Long::sum);
            }
        }
        willSendByCountry.values().removeIf(count -> count == 0);
        long willSend = willSendByCountry.values().stream().mapToLong(Long::longValue).sum();
        CampaignPlan.Recipients recipients = new CampaignPlan.Recipients(pending, willSend,
                new CampaignPlan.Excluded(optedOut, noOptIn, blockedCountry, usMarketing, missingVariables));

        // template
        CampaignPlan.Template templateView = template == null
                ? new CampaignPlan.Template(campaign.templateName, campaign.templateLanguage, null, null, false, null)
                : new CampaignPlan.Template(template.name, template.language, template.status, template.category,
                        template.status == TemplateStatus.APPROVED, template.createdAt);
        if (template == null) {
            warnings.add("The template '" + campaign.templateName + "' (" + campaign.templateLanguage
                    + ") is not registered: the campaign cannot be sent.");
        } else if (template.status != TemplateStatus.APPROVED) {
            warnings.add("The template is " + template.status.value() + ", not approved: the campaign cannot be sent"
                    + (template.status == TemplateStatus.PAUSED ? " until Meta unpauses it." : "."));
        }
        if (template != null && template.createdAt != null && template.createdAt.isAfter(now.minus(24, ChronoUnit.HOURS))) {
            warnings.add("The template was created less than 24 h ago: Meta may hold its messages for a quality"
                    + " assessment (template pacing) and drop some of them.");
        }

        // duration
        int numberCap = config.capPerSecond(campaign.phoneNumberId);
        long others = repository.otherSendingCampaigns(campaign.phoneNumberId, campaignId);
        double perSecond = Math.min(campaign.rateLimit / 60.0, numberCap / (double) (others + 1));
        Instant start = campaign.scheduledFor != null && campaign.scheduledFor.isAfter(now) ? campaign.scheduledFor : now;
        SendSchedule.Result schedule = SendSchedule.of(willSend, perSecond, start, campaign.sendWindow());
        CampaignPlan.Duration duration = new CampaignPlan.Duration(round(perSecond), numberCap, others, willSend,
                schedule.start(), schedule.end(), java.time.Duration.between(schedule.start(), schedule.end()).toSeconds(),
                schedule.days());
        if (others > 0) {
            warnings.add(others + " other campaign(s) are sending on the same number: this one gets about "
                    + round(perSecond) + " messages/s while they last.");
        }

        // messaging limit
        // the limit Meta last reported for the number's portfolio (business_capability_update,
        // phone_number_quality_update) wins over configuration
        String tierText = config.plan().messagingLimitTier().strip().toLowerCase(Locale.ROOT);
        Long tier = signals.messagingLimitOf(campaign.phoneNumberId, config.meta().wabaId().orElse(""))
                .map(learned -> learned < 0 ? null : learned)
                .orElse("unlimited".equals(tierText) ? null : Long.valueOf(tierText));
        long reached = repository.reachedSince(now.minus(24, ChronoUnit.HOURS));
        boolean fits = tier == null || reached + willSend <= tier;
        Instant hitAt = null;
        CampaignPlan.SuggestedSplit split = null;
        if (!fits) {
            long room = Math.max(0, tier - reached);
            hitAt = room == 0 ? schedule.start() : SendSchedule.sendTimeOf(room - 1, perSecond, schedule);
            split = new CampaignPlan.SuggestedSplit(tier, (willSend + tier - 1) / tier);
            warnings.add("The campaign does not fit the messaging limit of " + tier + " unique users per 24 h ("
                    + reached + " reached in the last 24 h): Meta refuses the rest from " + hitAt
                    + "; send at most " + tier + " recipients per day (" + split.days() + " days).");
        }
        CampaignPlan.MessagingLimit limit = new CampaignPlan.MessagingLimit(tier, reached, fits, hitAt, split);

        // cost
        CampaignPlan.Cost cost = cost(category, willSendByCountry, LocalDate.ofInstant(start, ZoneOffset.UTC), warnings);

        CampaignPlan.Audience audience = audiencePlan.audienceOf(campaignId, now);
        if (audience != null && audience.snapshotAt() == null) {
            warnings.add("The audience '" + audience.name() + "' matches " + audience.matchingNow() + " contact(s) now; they"
                    + " become recipients at send (suppressed and, for marketing, not opted-in contacts stored opted_out),"
                    + " so the counts, duration and cost above are the uploaded recipients only.");
        } else if (pending == 0) {
            warnings.add("The campaign has no pending recipients: there is nothing to send.");
        }
        if (optedOut > 0) {
            warnings.add(optedOut + " recipient(s) are on the suppression list now and will be skipped.");
        }
        if (usMarketing > 0) {
            warnings.add(usMarketing + " recipient(s) have US numbers: Meta does not deliver marketing templates to"
                    + " US numbers (since 2025-04-01).");
        }
        if (blockedCountry > 0) {
            warnings.add(blockedCountry + " recipient(s) are in countries blocked by configuration ("
                    + String.join(", ", new java.util.TreeSet<>(blocked)) + "); remove them before sending, wacast does"
                    + " not skip them.");
        }
        if (missingVariables > 0) {
            warnings.add(missingVariables + " recipient(s) lack a value for " + String.join(", ", keysWithoutDefault)
                    + ", which has no campaign default: Meta will refuse those messages (132000).");
        }
        return new CampaignPlan(campaignId, recipients, templateView, duration, limit, cost, List.copyOf(warnings), now, audience);
    }

    private CampaignPlan.Cost cost(TemplateCategory category, Map<String, Long> byCountry, LocalDate day, List<String> warnings) {
        RateCard card = rateCards.card();
        List<CampaignPlan.CountryCost> lines = new ArrayList<>();
        Map<String, BigDecimal> totals = new TreeMap<>();
        List<String> unpriced = new ArrayList<>();
        List<String> restOfWorld = new ArrayList<>();
        byCountry.forEach((country, count) -> {
            RateCard.Price price = card.price(country, category, day).orElse(null);
            if (price == null) {
                unpriced.add(country);
                lines.add(new CampaignPlan.CountryCost(country, count, null, null, null, null, false));
                return;
            }
            BigDecimal subtotal = price.unit().multiply(BigDecimal.valueOf(count)).setScale(4, RoundingMode.HALF_UP);
            totals.merge(price.currency(), subtotal, BigDecimal::add);
            if (price.restOfWorld()) {
                restOfWorld.add(country);
            }
            lines.add(new CampaignPlan.CountryCost(country, count, price.unit(), price.currency(), subtotal,
                    price.validFrom(), price.restOfWorld()));
        });
        lines.sort(Comparator.comparing((CampaignPlan.CountryCost line) -> line.subtotal() == null ? BigDecimal.ZERO : line.subtotal())
                .reversed().thenComparing(CampaignPlan.CountryCost::country));
        if (!restOfWorld.isEmpty()) {
            warnings.add("The rate card has no price of its own for " + String.join(", ", restOfWorld)
                    + "; its rest-of-world rate was used.");
        }
        if (!unpriced.isEmpty()) {
            warnings.add("The rate card has no " + category.value() + " price for " + String.join(", ", unpriced)
                    + ": the cost estimate leaves them out.");
        }
        if (totals.size() > 1) {
            warnings.add("The rate card prices these countries in several currencies: the totals are per currency.");
        }
        return new CampaignPlan.Cost(category, card.source(), List.copyOf(lines),
                totals.entrySet().stream().map(total -> new CampaignPlan.Total(total.getKey(), total.getValue())).toList());
    }

    /** The region of a stored E.164 number ({@code ZZ} when libphonenumber knows none). */
    static String countryOf(String e164) {
        try {
            Phonenumber.PhoneNumber number = LIBPHONENUMBER.parse(e164, "ZZ");
            String region = LIBPHONENUMBER.getRegionCodeForNumber(number);
            if (region == null || "ZZ".equals(region) || "001".equals(region)) {
                region = LIBPHONENUMBER.getRegionCodeForCountryCode(number.getCountryCode());
            }
            return region == null || "001".equals(region) ? "ZZ" : region;
        } catch (NumberParseException e) {
            return "ZZ";
        }
    }

    private static double round(double perSecond) {
        return Math.round(perSecond * 100) / 100.0;
    }
}
