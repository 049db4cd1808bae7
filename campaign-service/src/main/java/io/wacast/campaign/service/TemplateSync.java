package io.wacast.campaign.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.wacast.campaign.client.MetaTemplates;
import io.wacast.campaign.client.MetaTemplates.MetaAnswerException;
import io.wacast.campaign.client.MetaTemplates.MetaTemplate;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.ButtonType;
import io.wacast.campaign.domain.HeaderType;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateButton;
import io.wacast.campaign.domain.TemplateCategory;
import io.wacast.campaign.domain.TemplateStatus;
import io.wacast.common.problem.Problem.FieldError;

/**
 * Reads the account's templates from Meta ({@code GET /{waba-id}/message_templates}, every page) on
 * start, on demand and periodically, so operators pick real approved templates. Every page is read
 * before anything is written: an answer that is not Meta's shape, or a rate limit that outlasts the
 * retries, changes nothing. A template new here is registered with Meta's content; one registered
 * already keeps its content (campaigns' variables were checked against it) and takes Meta's status
 * (a status that cannot be sent pauses its campaigns, as the webhook does), latest category, quality
 * and id. Manual registration stays for tests and offline use.
 */
@ApplicationScoped
public class TemplateSync {

    private static final Logger LOG = Logger.getLogger(TemplateSync.class);
    private static final Map<String, TemplateStatus> STATUSES = Map.of("APPROVED", TemplateStatus.APPROVED,
            "PENDING", TemplateStatus.PENDING, "IN_APPEAL", TemplateStatus.PENDING, "REJECTED", TemplateStatus.REJECTED,
            "PAUSED", TemplateStatus.PAUSED, "DISABLED", TemplateStatus.DISABLED, "ARCHIVED", TemplateStatus.ARCHIVED,
            "PENDING_DELETION", TemplateStatus.ARCHIVED, "DELETED", TemplateStatus.ARCHIVED);

    /** A template Meta lists that was not taken, and why. */
    public record Skipped(String name, String language, String reason) {
    }

    /** What one sync did. */
    public record Report(int pages, int fetched, int created, int updated, int unchanged, List<Skipped> skipped,
            Instant at) {
    }

    private final CampaignConfig config;
    private final MetaTemplates meta;
    private final TemplateService templates;
    private final AccountSignals signals;
    private final ReentrantLock running = new ReentrantLock();
    private volatile Instant coolingUntil = Instant.EPOCH;

    TemplateSync(CampaignConfig config, MetaTemplates meta, TemplateService templates, AccountSignals signals) {
        this.config = config;
        this.meta = meta;
        this.templates = templates;
        this.signals = signals;
    }

    void onStart(@Observes StartupEvent event) {
        if (configured() && config.templateSync().onStart()) {
            Thread thread = new Thread(() -> syncQuietly("start"), "template-sync-start");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Scheduled(every = "${wacast.campaign.template-sync.interval:15m}", delayed = "${wacast.campaign.template-sync.interval:15m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodically() {
        if (configured() && Instant.now().isAfter(coolingUntil)) {
            syncQuietly("schedule");
        }
    }

    /** The on-demand sync: its report, or a problem (503 rate limited or not configured, 502 Meta's answer). */
    public Report sync() {
        if (!configured()) {
            throw new ProblemException(503, "template-sync-off", "Template sync is off",
                    "set wacast.campaign.meta.access-token and wacast.campaign.meta.waba-id (and keep"
                            + " wacast.campaign.template-sync.enabled) to read templates from Meta",
                    List.of());
        }
        Instant cooling = coolingUntil;
        if (Instant.now().isBefore(cooling)) {
            throw rateLimited("Meta rate-limited the template listing; the next sync may run after " + cooling);
        }
        if (!running.tryLock()) {
            throw ProblemException.conflict("a template sync is running already");
        }
        try {
            return syncNow();
        } finally {
            running.unlock();
        }
    }

    private void syncQuietly(String trigger) {
        if (!running.tryLock()) {
            return;
        }
        try {
            Report report = syncNow();
            LOG.infof("template sync (%s): %d from Meta, %d created, %d updated, %d skipped", trigger, report.fetched(),
                    report.created(), report.updated(), report.skipped().size());
        } catch (ProblemException | MetaAnswerException e) {
            LOG.warnf("template sync (%s) failed, templates unchanged: %s", trigger, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "template sync (%s) failed, templates unchanged", trigger);
        } finally {
            running.unlock();
        }
    }

    private Report syncNow() {
        List<MetaTemplate> listed = new ArrayList<>();
        int pages = 0;
        String after = null;
        do {
            MetaTemplates.Page page = pageWithBackoff(after);
            pages++;
            listed.addAll(page.templates());
            after = page.after();
        } while (after != null && pages < 10_000);
        int read = pages;
        return QuarkusTransaction.requiringNew().call(() -> apply(listed, read));
    }

    private MetaTemplates.Page pageWithBackoff(String after) {
        CampaignConfig.TemplateSync sync = config.templateSync();
        Duration delay = sync.rateLimitBackoff();
        for (int attempt = 0; ; attempt++) {
            try {
                return meta.page(config.meta().apiVersion(), config.meta().wabaId().orElseThrow(),
                        config.meta().accessToken().orElseThrow(), sync.pageSize(), after);
            } catch (MetaAnswerException e) {
                switch (e.kind()) {
                    case RATE_LIMITED -> {
                        if (attempt >= sync.rateLimitRetries()) {
                            coolingUntil = Instant.now().plus(sync.rateLimitCooldown());
                            throw rateLimited(e.getMessage() + "; retried " + attempt + " times, next sync after "
                                    + coolingUntil);
                        }
                        LOG.infof("Meta rate-limited the template listing (%s); again in %s", e.getMessage(), delay);
                        pause(delay);
                        delay = delay.multipliedBy(2);
                    }
                    case NOT_META_SHAPE, META_ERROR, UNREACHABLE -> throw new ProblemException(502, "meta-answer",
                            "Meta's answer could not be used", e.getMessage() + "; the templates are unchanged",
                            List.of(FieldError.of("meta", e.kind().name().toLowerCase(Locale.ROOT))));
                    default -> throw e;
                }
            }
        }
    }

    private Report apply(List<MetaTemplate> listed, int pages) {
        Instant now = Instant.now();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        List<Skipped> skipped = new ArrayList<>();
        for (MetaTemplate listedTemplate : listed) {
            TemplateStatus status = STATUSES.get(listedTemplate.status().toUpperCase(Locale.ROOT));
            TemplateCategory category = category(listedTemplate.category());
            if (status == null || category == null) {
                skipped.add(new Skipped(listedTemplate.name(), listedTemplate.language(), status == null
                        ? "status " + listedTemplate.status() + " is not one wacast knows"
                        : "category " + listedTemplate.category() + " is not one wacast knows"));
                continue;
            }
            Template existing = Template.findByNameAndLanguage(listedTemplate.name(), listedTemplate.language()).orElse(null);
            if (existing == null) {
                try {
                    TemplateService.NewTemplate content = content(listedTemplate, status, category);
                    TemplateService.check(content);
                    Template template = templates.register(content);
                    template.metaTemplateId = listedTemplate.id();
                    template.quality = quality(listedTemplate);
                    template.statusReason = listedTemplate.rejectedReason() == null
                            || "NONE".equalsIgnoreCase(listedTemplate.rejectedReason()) ? null : listedTemplate.rejectedReason();
                    created++;
                } catch (ProblemException | Unsupported e) {
                    skipped.add(new Skipped(listedTemplate.name(), listedTemplate.language(), e.getMessage()));
                }
                continue;
            }
            boolean changed = false;
            if (existing.status != status) {
                signals.changeStatus(existing, status, listedTemplate.rejectedReason() == null
                        || "NONE".equalsIgnoreCase(listedTemplate.rejectedReason()) ? null : listedTemplate.rejectedReason(),
                        now, now);
                changed = true;
            }
            if (existing.category != category) {
                existing.category = category;
                existing.categoryAt = now;
                changed = true;
            }
            String quality = quality(listedTemplate);
            if (quality != null && !quality.equals(existing.quality)) {
                existing.quality = quality;
                existing.qualityAt = now;
                changed = true;
            }
            if (listedTemplate.id() != null && !listedTemplate.id().equals(existing.metaTemplateId)) {
                existing.metaTemplateId = listedTemplate.id();
                changed = true;
            }
            if (changed) {
                existing.updatedAt = now;
                updated++;
            } else {
                unchanged++;
            }
        }
        return new Report(pages, listed.size(), created, updated, unchanged, skipped, now);
    }

    /** Meta's components as a registration; a part wacast cannot send is {@link Unsupported}. */
    private static TemplateService.NewTemplate content(MetaTemplate meta, TemplateStatus status, TemplateCategory category) {
        HeaderType headerType = HeaderType.NONE;
        String headerText = null;
        String body = null;
        String footer = null;
        List<TemplateButton> buttons = new ArrayList<>();
        for (JsonNode component : meta.components()) {
            String type = component.path("type").asText("").toUpperCase(Locale.ROOT);
            switch (type) {
                case "HEADER" -> {
                    String format = component.path("format").asText("TEXT").toUpperCase(Locale.ROOT);
                    try {
                        headerType = HeaderType.valueOf(format);
                    } catch (IllegalArgumentException e) {
                        throw new Unsupported("a " + format + " header is not supported here");
                    }
                    headerText = headerType == HeaderType.TEXT ? component.path("text").asText(null) : null;
                }
                case "BODY" -> body = component.path("text").asText(null);
                case "FOOTER" -> footer = component.path("text").asText(null);
                case "BUTTONS" -> {
                    for (JsonNode button : component.path("buttons")) {
                        String buttonType = button.path("type").asText("").toUpperCase(Locale.ROOT);
                        String text = button.path("text").asText("");
                        switch (buttonType) {
                            case "URL" -> {
                                String url = button.path("url").asText(null);
                                buttons.add(new TemplateButton(ButtonType.URL, text, url, url != null && url.contains("{{1}}")));
                            }
                            case "QUICK_REPLY" -> buttons.add(new TemplateButton(ButtonType.QUICK_REPLY, text, null, false));
                            default -> throw new Unsupported("a " + buttonType + " button is not supported here");
                        }
                    }
                }
                default -> throw new Unsupported("a " + type + " component is not supported here");
            }
        }
        if (body == null || body.isBlank()) {
            throw new Unsupported("no BODY text");
        }
        return new TemplateService.NewTemplate(meta.name(), meta.language(), category, status, headerType, headerText,
                body, footer, buttons);
    }

    private static TemplateCategory category(String category) {
        try {
            return TemplateCategory.fromString(category);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String quality(MetaTemplate meta) {
        return meta.quality() == null ? null : meta.quality().toLowerCase(Locale.ROOT);
    }

    private static ProblemException rateLimited(String detail) {
        return new ProblemException(503, "meta-rate-limited", "Meta rate-limited the template listing", detail, List.of());
    }

    private boolean configured() {
        return config.templateSync().enabled() && config.meta().accessToken().filter(t -> !t.isBlank()).isPresent()
                && config.meta().wabaId().filter(w -> !w.isBlank()).isPresent();
    }

    /** Waits between retries of a rate-limited page; the sync runs on a worker thread, never a consumer's. */
    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    /** A part of Meta's template that wacast's registry cannot represent. */
    private static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }
}
