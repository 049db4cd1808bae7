package io.wacast.campaign.service;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.domain.Recipient;
import io.wacast.campaign.domain.RenderedMessage;
import io.wacast.campaign.domain.Template;
import io.wacast.campaign.domain.TemplateVariables;
import io.wacast.campaign.repository.CounterRepository;
import io.wacast.campaign.repository.LoadedRecipients;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.status.RecipientStatus;

/**
 * Recipients of one campaign: loading from JSON or a streamed CSV, paging, removal while pending,
 * and the preview of the exact message a recipient gets.
 */
@ApplicationScoped
public class RecipientService {

    /** A page of recipients; {@code total} comes from the counters, not from COUNT(*). */
    public record RecipientPage(List<Recipient> items, int page, int size, long total) {
    }

    /** @param variables what the SendJob carries: the recipient's values over the campaign defaults */
    public record Preview(long recipientId, String to, String templateName, String templateLanguage,
            Map<String, String> variables, RenderedMessage message) {
    }

    private final RecipientLoader loader;
    private final RecipientRepository recipients;
    private final CounterRepository counters;
    private final LoadedRecipients loaded;
    private final TemplateService templates;
    private final CampaignConfig config;

    RecipientService(RecipientLoader loader, RecipientRepository recipients, CounterRepository counters,
            LoadedRecipients loaded, TemplateService templates, CampaignConfig config) {
        this.loader = loader;
        this.recipients = recipients;
        this.counters = counters;
        this.loaded = loaded;
        this.templates = templates;
        this.config = config;
    }

    @Transactional
    @TransactionConfiguration(timeout = 600)
    public RecipientLoader.Report addAll(long campaignId, List<CampaignSpec.RecipientSpec> rows) {
        RecipientLoader.Load load = begin(campaignId);
        for (int i = 0; i < rows.size(); i++) {
            CampaignSpec.RecipientSpec row = rows.get(i);
            load.add(row == null
                    ? RecipientLoader.Input.malformed(i + 1, "null instead of a recipient")
                    : new RecipientLoader.Input(i + 1, row.phoneNumber(), row.name(), row.variables(), null));
        }
        return load.finish();
    }

    /** Streams the CSV into the campaign in one transaction: a failure of the upload stores nothing. */
    @Transactional
    @TransactionConfiguration(timeout = 600)
    public RecipientLoader.Report addCsv(long campaignId, InputStream csv) {
        Campaign campaign = addable(campaignId);
        TemplateVariables variables = templateOf(campaign).variables();
        RecipientLoader.Load load = loader.begin(campaignId, variables, campaign.templateVariables, true);
        CsvRecipients.read(csv, config.recipients().maxUploadSize().asLongValue(),
                (int) config.recipients().maxLineLength().asLongValue(), variables, campaign.templateVariables, load::add);
        return load.finish();
    }

    @Transactional
    public RecipientPage list(long campaignId, RecipientStatus status, int page, int size) {
        campaign(campaignId);
        Map<RecipientStatus, Long> counts = counters.read(campaignId);
        long total = status == null ? counts.values().stream().mapToLong(Long::longValue).sum() : counts.get(status);
        return new RecipientPage(recipients.page(campaignId, status, page, size), page, size, total);
    }

    /**
     * The recipient with this phone number (in any format the loader accepts), as a page of zero or one,
     * filtered by {@code status} when given; 400 naming {@code phone} when it is not a phone number.
     */
    @Transactional
    public RecipientPage findByPhone(long campaignId, String phone, RecipientStatus status) {
        campaign(campaignId);
        if (!(PhoneNumbers.normalise(phone, config.defaultRegion()) instanceof PhoneNumberResult.Valid valid)) {
            throw ProblemException.invalidField("phone", "not a valid phone number");
        }
        List<Recipient> found = recipients.findByPhone(campaignId, valid.e164())
                .filter(r -> status == null || r.status() == status)
                .map(List::of).orElse(List.of());
        return new RecipientPage(found, 0, 1, found.size());
    }

    /** Removes a pending recipient by id; 409 when it has already been dispatched. */
    @Transactional
    public void deleteById(long campaignId, long recipientId) {
        campaign(campaignId);
        Recipient recipient = recipients.find(campaignId, recipientId)
                .orElseThrow(() -> ProblemException.notFound("recipient", recipientId + " of campaign " + campaignId));
        deletePending(recipient);
    }

    /** Removes a pending recipient by phone number, in any format the loader accepts. */
    @Transactional
    public void deleteByPhone(long campaignId, String phone) {
        campaign(campaignId);
        if (!(PhoneNumbers.normalise(phone, config.defaultRegion()) instanceof PhoneNumberResult.Valid valid)) {
            throw ProblemException.invalidField("phone", "not a valid phone number");
        }
        Recipient recipient = recipients.findByPhone(campaignId, valid.e164())
                .orElseThrow(() -> ProblemException.notFound("recipient", PhoneNumbers.mask(valid.e164()) + " of campaign " + campaignId));
        deletePending(recipient);
    }

    @Transactional
    public Preview preview(long campaignId, long recipientId) {
        Campaign campaign = campaign(campaignId);
        Recipient recipient = recipients.find(campaignId, recipientId)
                .orElseThrow(() -> ProblemException.notFound("recipient", recipientId + " of campaign " + campaignId));
        Template template = Template.findByNameAndLanguage(campaign.templateName, campaign.templateLanguage)
                .orElseThrow(() -> ProblemException.conflict("template '" + campaign.templateName + "' is no longer registered"));
        TemplateVariables variables = template.variables();
        Map<String, String> resolved = variables.resolve(campaign.templateVariables, recipient.variables());
        return new Preview(recipient.id(), recipient.phone(), template.name, template.language, resolved, variables.render(resolved));
    }

    private void deletePending(Recipient recipient) {
        if (!recipients.deletePending(recipient.campaignId(), recipient.id())) {
            throw new ProblemException(409, "conflict", "Conflict with the current state",
                    "recipient " + recipient.id() + " is " + recipient.status().value() + "; only pending recipients can be removed",
                    List.of(new io.wacast.common.problem.Problem.FieldError("status", null, "current status", recipient.status().value())));
        }
        CounterRepository.Deltas deltas = new CounterRepository.Deltas();
        deltas.add(recipient.campaignId(), RecipientStatus.PENDING, -1);
        counters.apply(deltas);
        loaded.removed(recipient.campaignId(), recipient.phone());
    }

    private RecipientLoader.Load begin(long campaignId) {
        Campaign campaign = addable(campaignId);
        return loader.begin(campaignId, templateOf(campaign).variables(), campaign.templateVariables, true);
    }

    private Campaign addable(long campaignId) {
        Campaign campaign = campaign(campaignId);
        if (campaign.status.isTerminal()) {
            throw new ProblemException(409, "conflict", "Conflict with the current state",
                    "campaign " + campaignId + " is " + campaign.status.value() + "; recipients can no longer be added",
                    List.of(new io.wacast.common.problem.Problem.FieldError("status", null, "current status", campaign.status.value())));
        }
        return campaign;
    }

    private Template templateOf(Campaign campaign) {
        return templates.sendable(campaign.templateName, campaign.templateLanguage);
    }

    private static Campaign campaign(long id) {
        return Campaign.<Campaign>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("campaign", id));
    }
}
