package io.wacast.sender.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.common.event.CampaignControl;
import io.wacast.common.event.Outcome;
import io.wacast.common.event.OutcomeStatus;
import io.wacast.common.event.SendJob;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.sender.client.TemplateMessage;
import io.wacast.sender.config.SenderConfig;

/**
 * The first stage, on the consumer's thread: parses and validates a delivered job, holds an early one
 * (or puts it back onto the topic), and queues it at its campaign's gate or in its number's lane.
 * Never waits.
 */
final class Intake implements SendJobIntake {

    private static final Logger LOG = Logger.getLogger(Intake.class);
    /** The ledger's job_id column. */
    static final int MAX_JOB_ID_LENGTH = 512;
    /**
     * The largest job, in characters of its JSON: 100 variables of 1,024 characters (campaign-service's
     * limits) and the rest fit; the ledger's MEDIUMTEXT columns hold it when a retry stores it (V5).
     */
    static final int MAX_JOB_LENGTH = 256 * 1024;

    private final SenderConfig config;
    private final Set<String> knownNumbers;
    private final ObjectMapper json;
    private final LatestControls controls;
    private final Admission admission;
    private final CampaignGates gates;
    private final AckedPublisher publisher;
    private final SendJobSink jobs;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final AtomicInteger pending = new AtomicInteger();

    Intake(SenderConfig config, ObjectMapper json, LatestControls controls, Admission admission, CampaignGates gates,
            AckedPublisher publisher, SendJobSink jobs, ScheduledExecutorService timers, Clock clock,
            MeterRegistry registry) {
        this.config = config;
        this.knownNumbers = new HashSet<>(config.phoneNumberIds());
        this.json = json;
        this.controls = controls;
        this.admission = admission;
        this.gates = gates;
        this.publisher = publisher;
        this.jobs = jobs;
        this.timers = timers;
        this.clock = clock;
        registry.gauge("wacast.sender.jobs.pending", pending);
    }

    @Override
    public int pending() {
        return pending.get();
    }

    /** {@code delivery} hears that the job finished once its outcome (or re-publication) is acked. */
    @Override
    public void accept(String raw, Delivery delivery) {
        pending.incrementAndGet();
        Runnable finished = () -> {
            pending.decrementAndGet();
            delivery.finished();
        };
        SendJob job;
        try {
            job = json.readValue(raw, SendJob.class);
        } catch (Exception e) {
            rejectMalformed(raw, e, finished);
            return;
        }
        Ticket ticket = new Ticket(job, raw, finished, delivery::revoked);
        Instant now = clock.instant();
        String invalid = raw.length() > MAX_JOB_LENGTH
                ? "the job has " + raw.length() + " characters; at most " + MAX_JOB_LENGTH + " are accepted"
                : validate(job);
        if (invalid != null) {
            LOG.warnf("job %s to %s failed validation: %s", job.jobId(), PhoneNumbers.mask(job.to()), invalid);
            publisher.publishThenDone(ticket, OutcomeRules.invalid(job, invalid, now).outcome());
            return;
        }
        if (job.notBefore() != null && job.notBefore().isAfter(now)) {
            Duration wait = Duration.between(now, job.notBefore());
            if (wait.compareTo(config.maxHold()) > 0) {
                // Too early to hold in memory: back onto the topic; the next read holds or re-publishes it again.
                publisher.whenAcked(() -> jobs.jobJson(job.to(), raw), ticket::done);
                return;
            }
            timers.schedule(() -> enqueue(ticket), wait.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        enqueue(ticket);
    }

    private String validate(SendJob job) {
        if (job.jobId() == null || job.jobId().isBlank()) {
            return "jobId is missing";
        }
        if (job.jobId().length() > MAX_JOB_ID_LENGTH) {
            return "jobId has " + job.jobId().length() + " characters; at most " + MAX_JOB_ID_LENGTH + " are accepted";
        }
        if (job.phoneNumberId() == null || !knownNumbers.contains(job.phoneNumberId())) {
            return "unknown phone-number id '" + job.phoneNumberId() + "': not one this sender is configured for";
        }
        if (job.attempt() < 1) {
            return "attempt must be at least 1";
        }
        try {
            TemplateMessage.body(job);
            return null;
        } catch (TemplateMessage.InvalidJobException e) {
            return e.getMessage();
        }
    }

    private void rejectMalformed(String raw, Exception e, Runnable done) {
        String reason = "malformed send job: " + e.getClass().getSimpleName();
        try {
            JsonNode tree = json.readTree(raw);
            long campaignId = tree.path("campaignId").asLong();
            String jobId = tree.path("jobId").asText(null);
            if (campaignId > 0 && jobId != null) {
                Outcome outcome = Outcome.of(jobId, campaignId, tree.path("recipientId").asLong(), OutcomeStatus.FAILED,
                        null, null, null, reason + ": " + firstLine(e.getMessage()), MetaErrorPolicy.Action.FAIL, null,
                        Math.max(1, tree.path("attempt").asInt(1)), clock.instant());
                publisher.publishThenRun(outcome, done);
                return;
            }
        } catch (Exception unreadable) {
            // not even JSON: nothing to report to, fall through
        }
        LOG.warnf("dropped a send job that names no campaign and job (%s)", reason);
        done.run();
    }

    private void enqueue(Ticket ticket) {
        if (admission.deferred(ticket)) {
            return;
        }
        CampaignControl control = controls.of(ticket.job.campaignId());
        if (control != null && control.rateLimitPerMinute() > 0) {
            gates.add(ticket, control);
            return;
        }
        admission.toLane(ticket);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
