package io.wacast.campaign.service;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.wacast.campaign.config.SeriesConfig;
import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.repository.AudienceRepository;
import io.wacast.campaign.repository.CampaignRepository;
import io.wacast.campaign.repository.SeriesRepository;
import io.wacast.campaign.repository.SeriesRepository.Series;

/**
 * Starts the due occurrences of recurring campaigns, on every replica. An occurrence is claimed by a
 * conditional insert on its (series, time) key before anything else happens in its transaction, so two
 * replicas never start it twice; the claim, the campaign, its recipients (the audience's snapshot), its
 * start and the series' next occurrence commit together or not at all. The series' row is locked first
 * (as an edit locks it), so an edit waits for a starting occurrence and an occurrence for an edit.
 */
@ApplicationScoped
public class SeriesStarter {

    private static final Logger LOG = Logger.getLogger(SeriesStarter.class);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** What one due occurrence became. */
    public enum Result {
        STARTED, SKIPPED, NOT_MINE
    }

    private final SeriesRepository series;
    private final AudienceRepository audiences;
    private final AudienceSnapshots snapshots;
    private final CampaignService campaigns;
    private final CampaignLifecycle lifecycle;
    private final CampaignRepository campaignRows;
    private final SeriesConfig config;

    SeriesStarter(SeriesRepository series, AudienceRepository audiences, AudienceSnapshots snapshots, CampaignService campaigns,
            CampaignLifecycle lifecycle, CampaignRepository campaignRows, SeriesConfig config) {
        this.series = series;
        this.audiences = audiences;
        this.snapshots = snapshots;
        this.campaigns = campaigns;
        this.lifecycle = lifecycle;
        this.campaignRows = campaignRows;
        this.config = config;
    }

    @Scheduled(every = "${wacast.series.interval:15s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.enabled()) {
            startDue(Instant.now());
        }
    }

    /** Starts every occurrence due at {@code now} (the clock is the caller's: tests pass theirs); returns how many this call started. */
    public int startDue(Instant now) {
        int started = 0;
        for (long id : series.due(now, 100)) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> occur(id, now)) == Result.STARTED) {
                    started++;
                }
            } catch (RuntimeException e) {
                // rolled back whole, claim included: the next round tries again; other series go on
                LOG.errorf(e, "series %d: its due occurrence could not be started; the next round tries again", id);
            }
        }
        return started;
    }

    /**
     * The due occurrence of one series, in the caller's transaction: claimed, then started as a campaign
     * of the audience's contacts (less those an earlier occurrence messaged within the series' interval),
     * or skipped with the reason (template not sendable, audience empty). The series moves to its next
     * occurrence either way.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Result occur(long seriesId, Instant now) {
        // the row lock an edit takes too: the occurrence starts with the settings of before or of after an edit, never a mix
        Optional<Series> found = series.lock(seriesId);
        if (found.isEmpty() || !SeriesService.ACTIVE.equals(found.get().status()) || found.get().nextOccurrenceAt() == null
                || found.get().nextOccurrenceAt().isAfter(now)) {
            return Result.NOT_MINE;
        }
        Series s = found.get();
        Instant at = s.nextOccurrenceAt();
        if (!series.claimOccurrence(seriesId, at, now)) {
            return Result.NOT_MINE;
        }
        ZoneId zone = ZoneId.of(s.timeZone());
        // a late start (no replica ran for a while) starts this occurrence once and goes on from now
        Instant next = SeriesRule.cron(s.schedule()).next(at.isAfter(now) ? at : now, zone).orElse(null);
        if (next != null && !SeriesService.within(s, next, s.occurrences() + 1)) {
            next = null;
        }
        if (!series.advance(seriesId, at, next, now)) {
            throw new IllegalStateException("series " + seriesId + " moved past " + at + " under a claim");
        }
        Optional<ProblemException> notSendable = TemplateService.whyNotSendable(s.templateName(), s.templateLanguage());
        if (notSendable.isPresent()) {
            return skip(s, at, "template not sendable: " + notSendable.get().getMessage());
        }
        String local = LOCAL.format(at.atZone(zone));
        String name = s.name().length() > 180 ? s.name().substring(0, 179) + "…" : s.name();
        CampaignService.Created created = campaigns.createInTransaction(new CampaignSpec(name + " · " + local, s.description(),
                s.templateName(), s.templateLanguage(), s.templateVariables(), s.phoneNumberId(), s.rateLimit(), null, null, null));
        Campaign campaign = created.campaign();
        audiences.link(campaign.id, s.audienceId(), s.variableMap());
        boolean spaced = s.minIntervalMinutes() > 0;
        Optional<AudienceSnapshots.Result> snapshot = snapshots.snapshotIfTargeted(campaign, spaced ? seriesId : null,
                spaced ? now.minus(Duration.ofMinutes(s.minIntervalMinutes())) : null);
        if (snapshot.isPresent() && snapshot.get().problem() != null) {
            campaignRows.deleteCreated(campaign.id); // a draft of this transaction: its counters and link go with it
            return skip(s, at, snapshot.get().problem().getMessage());
        }
        if (!lifecycle.transition(campaign.id, CampaignLifecycle.Action.SEND, "occurrence " + local + " of series " + seriesId)) {
            throw new IllegalStateException("campaign " + campaign.id + " of series " + seriesId + " did not start");
        }
        series.settle(seriesId, at, "started", campaign.id, null);
        LOG.infof("series %d: occurrence %s (%s) started as campaign %d; next %s", seriesId, at, local, campaign.id, next);
        return Result.STARTED;
    }

    private Result skip(Series s, Instant at, String reason) {
        series.settle(s.id(), at, "skipped", null, reason);
        LOG.warnf("series %d: occurrence %s skipped: %s", s.id(), at, reason);
        return Result.SKIPPED;
    }
}
