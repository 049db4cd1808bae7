package io.wacast.campaign.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.repository.CounterRepository;
import io.wacast.campaign.repository.EngagementRepository;
import io.wacast.campaign.repository.EngagementRepository.Metric;
import io.wacast.campaign.repository.StatsRepository;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.status.CampaignStatus;
import io.wacast.common.status.RecipientStatus;

/**
 * Live campaign statistics from the rollups the applier keeps exact (status counters, timeline,
 * error breakdown): a handful of small rows per call whatever the campaign's size, never a COUNT(*)
 * over recipients (the unknown safety net's decisions are counted in an index that holds only the
 * decided rows). Counts are cumulative (docs/DESIGN.md §4): {@code delivered} includes read and
 * responded, {@code read} includes responded, {@code sent} is every recipient Meta ever accepted,
 * including those whose delivery failed afterwards.
 */
@ApplicationScoped
public class StatsService {

    /** Buckets returned in {@code timeline}: the last day of activity at one-minute resolution. */
    static final int TIMELINE_BUCKETS = 1440;
    static final int SAMPLE_FAILURES = 10;
    /** How far back the sending rate behind {@code etaSeconds} is measured. */
    static final Duration ETA_WINDOW = Duration.ofMinutes(5);

    /**
     * @param replies inbound messages credited to the campaign, by kind (text, button, interactive, media,
     *     location, contacts, other); a STOP is a text reply (docs/DESIGN.md §4, "Replies, buttons and orders")
     * @param buttons button presses by payload, opt-out buttons included
     * @param revenue orders credited to the campaign, per currency (ISO 4217), in minor units
     */
    public record CampaignStats(CampaignRef campaign, Counts stats, Metrics metrics, List<ErrorLine> errorBreakdown,
            List<TimelineBucket> timeline, List<SampleFailure> sampleFailures, Progress progress,
            Map<String, Long> replies, Map<String, Long> buttons, Map<String, Long> revenue, Instant generatedAt,
            Pacing pacing, CampaignCharges.Charges charges) {
    }

    /**
     * Messages Meta accepted but held by template pacing, by the {@code message_status} of its answer:
     * {@code held_for_quality_assessment} (held until Meta has a quality signal, then sent or dropped) and
     * {@code paused}. Counted once per accepted answer; they are also in {@code sent}.
     */
    public record Pacing(long heldForQualityAssessment, long paused) {
    }

    public record CampaignRef(long id, String name, CampaignStatus status) {
    }

    /**
     * {@code queued}: dispatched and not answered yet (queued, sending, waiting for a retry).
     * {@code resentUnknown}: recipients re-sent once by the unknown safety net (their status moves on
     * with the re-send's outcome); {@code keptUnknown}: unknown recipients it kept unknown for good.
     */
    /**
     * {@code replies}: inbound messages credited to the campaign (all kinds); {@code orders}: orders
     * credited to it; {@code converted}: its recipients with at least one of them.
     */
    public record Counts(long total, long pending, long queued, long sent, long delivered, long read, long failed,
            long optedOut, long responded, long unknown, long resentUnknown, long keptUnknown, long cancelled,
            long replies, long orders, long converted) {
    }

    /**
     * Rates as the operator reads them ("96.84%") and as numbers (percent, two decimals):
     * deliveryRate = delivered/sent, readRate = read/delivered, responseRate = responded/delivered,
     * failureRate = failed/total, conversionRate = converted/delivered (recipients who ordered); 0 when
     * the denominator is 0.
     */
    public record Metrics(String deliveryRate, String readRate, String responseRate, String failureRate,
            String conversionRate, Rates values) {
    }

    public record Rates(double deliveryRate, double readRate, double responseRate, double failureRate,
            double conversionRate) {
    }

    /** Recipients that currently stand failed (or opted out by Meta) with this code. */
    public record ErrorLine(int code, long count, String meaning) {
    }

    /** Transitions into each milestone within one UTC minute. */
    public record TimelineBucket(Instant minute, long sent, long delivered, long read, long failed) {
    }

    /** @param phoneNumber masked */
    public record SampleFailure(long recipientId, String phoneNumber, Integer code, String message, Instant at) {
    }

    /**
     * @param done recipients no more sending will happen for (sent or beyond, failed, opted out, cancelled, unknown)
     * @param etaSeconds at the rate of the last minutes (or the campaign's rateLimit before any answer);
     *     null unless the campaign is sending
     */
    public record Progress(long done, long remaining, Long etaSeconds) {
    }

    private final CounterRepository counters;
    private final StatsRepository stats;
    private final EngagementRepository engagement;

    StatsService(CounterRepository counters, StatsRepository stats, EngagementRepository engagement) {
        this.counters = counters;
        this.stats = stats;
        this.engagement = engagement;
    }

    /** What Meta charges (issue 17 §6): a field so the constructor stays as it is. */
    @jakarta.inject.Inject
    CampaignCharges chargeReader;

    /** A field so the constructor stays as it is. */
    @jakarta.inject.Inject
    io.wacast.campaign.repository.PacingRepository pacingCounts;

    @Transactional
    public CampaignStats stats(long campaignId) {
        Campaign campaign = Campaign.<Campaign>findByIdOptional(campaignId)
                .orElseThrow(() -> ProblemException.notFound("campaign", campaignId));
        Instant now = Instant.now();
        Map<RecipientStatus, Long> c = counters.read(campaignId);
        long total = c.values().stream().mapToLong(Long::longValue).sum();
        long delivered = c.get(RecipientStatus.DELIVERED) + c.get(RecipientStatus.READ) + c.get(RecipientStatus.RESPONDED);
        long read = c.get(RecipientStatus.READ) + c.get(RecipientStatus.RESPONDED);
        long sent = stats.totals(campaignId, null).sent();
        StatsRepository.ResendDecisions resends = stats.resendDecisions(campaignId);
        EngagementRepository.Totals engaged = engagement.totals(campaignId);
        Counts counts = new Counts(total, c.get(RecipientStatus.PENDING),
                c.get(RecipientStatus.QUEUED) + c.get(RecipientStatus.SENDING) + c.get(RecipientStatus.RETRY), sent,
                delivered, read, c.get(RecipientStatus.FAILED), c.get(RecipientStatus.OPTED_OUT),
                c.get(RecipientStatus.RESPONDED), c.get(RecipientStatus.UNKNOWN), resends.resent(), resends.kept(),
                c.get(RecipientStatus.CANCELLED), engaged.sum(Metric.REPLY), engaged.sum(Metric.ORDERS),
                engaged.sum(Metric.CONVERTED));

        long done = c.entrySet().stream().filter(e -> e.getKey().isDone()).mapToLong(Map.Entry::getValue).sum();
        Progress progress = new Progress(done, total - done, eta(campaign, total - done, now));

        return new CampaignStats(new CampaignRef(campaign.id, campaign.name, campaign.status), counts,
                metrics(counts),
                stats.errors(campaignId).stream()
                        .map(e -> new ErrorLine(e.code(), e.recipients(), MetaErrorPolicy.meaning(e.code()))).toList(),
                stats.timeline(campaignId, TIMELINE_BUCKETS).stream()
                        .map(b -> new TimelineBucket(b.minute(), b.sent(), b.delivered(), b.read(), b.failed())).toList(),
                stats.sampleFailures(campaignId, SAMPLE_FAILURES).stream()
                        .map(f -> new SampleFailure(f.recipientId(), PhoneNumbers.mask(f.phone()), f.code(), f.message(), f.at()))
                        .toList(),
                progress, new TreeMap<>(engaged.of(Metric.REPLY)), engaged.of(Metric.BUTTON),
                new TreeMap<>(engaged.of(Metric.REVENUE)), now, pacing(campaignId), chargeReader.charges(campaignId));
    }

    private Pacing pacing(long campaignId) {
        Map<String, Long> held = pacingCounts.read(campaignId);
        return new Pacing(held.getOrDefault(io.wacast.campaign.repository.PacingRepository.HELD_FOR_QUALITY_ASSESSMENT, 0L),
                held.getOrDefault(io.wacast.campaign.repository.PacingRepository.PAUSED, 0L));
    }

    private Long eta(Campaign campaign, long remaining, Instant now) {
        if (remaining == 0) {
            return 0L;
        }
        if (campaign.status != CampaignStatus.SENDING) {
            return null;
        }
        Instant since = now.minus(ETA_WINDOW);
        if (campaign.startedAt != null && campaign.startedAt.isAfter(since)) {
            since = campaign.startedAt;
        }
        double seconds = Math.max(1, Duration.between(since, now).toMillis() / 1000.0);
        long attempts = stats.totals(campaign.id, since).attempts();
        double perSecond = attempts > 0 ? attempts / seconds : campaign.rateLimit / 60.0;
        return perSecond <= 0 ? null : (long) Math.ceil(remaining / perSecond);
    }

    static Metrics metrics(Counts c) {
        double delivery = percent(c.delivered(), c.sent());
        double read = percent(c.read(), c.delivered());
        double response = percent(c.responded(), c.delivered());
        double failure = percent(c.failed(), c.total());
        double conversion = percent(c.converted(), c.delivered());
        return new Metrics(format(delivery), format(read), format(response), format(failure), format(conversion),
                new Rates(delivery, read, response, failure, conversion));
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : BigDecimal.valueOf(part * 100.0 / whole).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    private static String format(double percent) {
        return String.format(Locale.ROOT, "%.2f%%", percent);
    }
}
