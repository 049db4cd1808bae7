package io.wacast.campaign.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.ConsentSource;
import io.wacast.campaign.domain.Contact;
import io.wacast.campaign.domain.TemplateVariables;
import io.wacast.campaign.repository.ContactRepository;
import io.wacast.campaign.repository.SuppressionRepository;
import io.wacast.campaign.repository.CounterRepository;
import io.wacast.campaign.repository.LoadedRecipients;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.campaign.repository.RecipientRepository.NewRecipient;
import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.status.RecipientStatus;

/**
 * The one pipeline every recipient goes through, from JSON or CSV: E.164 normalisation, template
 * variable check, duplicate and suppression handling, batched inserts and counters. Valid rows are
 * stored, invalid ones reported with their row number; everything happens in the caller's
 * transaction, so a request that fails as a whole (bad header, bad encoding, too large) stores nothing.
 */
@ApplicationScoped
public class RecipientLoader {

    /** Rejections listed in a report; beyond it only the count grows. */
    static final int MAX_LISTED_REJECTIONS = 1000;
    private static final int MAX_NAME_LENGTH = 200;
    private static final int MAX_VALUE_LENGTH = CampaignSpec.MAX_VARIABLE_LENGTH;

    /**
     * One recipient as uploaded; {@code row} is 1-based (JSON array index + 1, CSV data row).
     * {@code malformed} says why the row could not even be split into fields, else null.
     */
    public record Input(int row, String phone, String name, Map<String, String> variables, String malformed) {

        public static Input malformed(int row, String reason) {
            return new Input(row, null, null, Map.of(), reason);
        }
    }

    /** @param value the offending input, masked when it is a phone number */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rejection(int row, String field, String reason, String value) {
    }

    /**
     * @param accepted stored as pending
     * @param duplicates dropped: already in the campaign or earlier in the same upload
     * @param optedOut stored as opted_out because the number is on the suppression list
     * @param rejected the first {@value #MAX_LISTED_REJECTIONS} rejected rows
     */
    public record Report(long accepted, long duplicates, long optedOut, long rejectedCount, List<Rejection> rejected) {
    }

    private final RecipientRepository recipients;
    private final ContactRepository contacts;
    private final SuppressionRepository suppression;
    private final CounterRepository counters;
    private final LoadedRecipients loadedRecipients;
    private final CampaignConfig config;
    private final Counter loaded;

    RecipientLoader(RecipientRepository recipients, ContactRepository contacts, SuppressionRepository suppression,
            CounterRepository counters, LoadedRecipients loadedRecipients, CampaignConfig config, MeterRegistry registry) {
        this.recipients = recipients;
        this.contacts = contacts;
        this.suppression = suppression;
        this.counters = counters;
        this.loadedRecipients = loadedRecipients;
        this.config = config;
        this.loaded = Counter.builder("wacast.recipients.loaded").description("Recipients stored").register(registry);
    }

    /**
     * Starts loading into a campaign. {@code checkExisting}: whether the campaign may already hold
     * recipients, which costs one lookup per batch.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Load begin(long campaignId, TemplateVariables template, Map<String, String> defaults, boolean checkExisting) {
        return new Load(campaignId, template, defaults, checkExisting);
    }

    /** A load in progress: {@link #add} every row, then {@link #finish}. */
    public final class Load {

        private final long campaignId;
        private final TemplateVariables template;
        private final Map<String, String> defaults;
        private final boolean checkExisting;
        private final PhoneSet seen = new PhoneSet();
        private final List<NewRecipient> batch = new ArrayList<>();
        /** The batch's numbers and their country, for the contact book. */
        private final Map<String, String> countries = new HashMap<>();
        private final List<Rejection> rejected = new ArrayList<>();
        /** The rows stored by number prefix, and the variable keys all and some of them carry (§11 D32). */
        private final LoadedRecipients.Tally stored = new LoadedRecipients.Tally();
        private final Instant now = Instant.now();
        private final Contact.OptIn optIn;
        private long accepted;
        private long duplicates;
        private long optedOut;
        private long rejectedCount;

        private Load(long campaignId, TemplateVariables template, Map<String, String> defaults, boolean checkExisting) {
            this.campaignId = campaignId;
            this.template = template;
            this.defaults = defaults;
            this.checkExisting = checkExisting;
            this.optIn = new Contact.OptIn(ConsentSource.CAMPAIGN_UPLOAD, now, "campaign " + campaignId);
        }

        public void add(Input input) {
            if (input.malformed() != null) {
                reject(input.row(), "row", input.malformed(), null);
                return;
            }
            PhoneNumberResult phone = PhoneNumbers.normalise(input.phone(), config.defaultRegion());
            if (phone instanceof PhoneNumberResult.Invalid invalid) {
                reject(input.row(), "phoneNumber", invalid.reason(), PhoneNumbers.mask(input.phone()));
                return;
            }
            String name = input.name() == null || input.name().isBlank() ? null : input.name().strip();
            if (name != null && name.length() > MAX_NAME_LENGTH) {
                reject(input.row(), "name", "longer than " + MAX_NAME_LENGTH + " characters", null);
                return;
            }
            Map<String, String> variables = clean(input.variables());
            String variableProblem = variableProblem(variables);
            if (variableProblem != null) {
                reject(input.row(), "variables", variableProblem, null);
                return;
            }
            String e164 = ((PhoneNumberResult.Valid) phone).e164();
            if (!seen.add(e164)) {
                duplicates++;
                return;
            }
            batch.add(new NewRecipient(e164, name, variables, RecipientStatus.PENDING));
            countries.put(e164, ((PhoneNumberResult.Valid) phone).regionCode());
            if (batch.size() >= config.recipients().insertBatchSize()) {
                flush();
            }
        }

        /** Stores what is left and the counters; the report of the whole load. */
        public Report finish() {
            flush();
            CounterRepository.Deltas deltas = new CounterRepository.Deltas();
            deltas.add(campaignId, RecipientStatus.PENDING, accepted);
            deltas.add(campaignId, RecipientStatus.OPTED_OUT, optedOut);
            counters.apply(deltas);
            loadedRecipients.loaded(campaignId, stored);
            loaded.increment(accepted + optedOut);
            return new Report(accepted, duplicates, optedOut, rejectedCount, List.copyOf(rejected));
        }

        public long rejectedCount() {
            return rejectedCount;
        }

        public List<Rejection> rejected() {
            return rejected;
        }

        private void flush() {
            if (batch.isEmpty()) {
                return;
            }
            List<String> phones = batch.stream().map(NewRecipient::phone).toList();
            Set<String> existing = checkExisting ? recipients.existingPhones(campaignId, phones) : Set.of();
            Set<String> suppressed = recipients.suppressed(phones);
            List<NewRecipient> rows = new ArrayList<>(batch.size());
            Map<String, String> names = new HashMap<>();
            Map<String, Contact.OptIn> optIns = new HashMap<>();
            for (NewRecipient row : batch) {
                if (existing.contains(row.phone())) {
                    duplicates++;
                    countries.remove(row.phone());
                    continue;
                }
                if (suppressed.contains(row.phone())) {
                    optedOut++;
                    rows.add(new NewRecipient(row.phone(), row.name(), row.variables(), RecipientStatus.OPTED_OUT));
                } else {
                    accepted++;
                    rows.add(row);
                    optIns.put(row.phone(), optIn);
                }
                if (row.name() != null) {
                    names.put(row.phone(), row.name());
                }
            }
            stored.add(rows);
            recipients.insert(campaignId, rows, now);
            // Same number, same contact: the upload asserts consent (DESIGN.md §2, contacts).
            contacts.fromUpload(countries, names, optIns, now);
            suppression.reidentify(suppressed);
            batch.clear();
            countries.clear();
        }

        private String variableProblem(Map<String, String> variables) {
            List<String> unknown = template.unknown(variables);
            if (!unknown.isEmpty()) {
                return "unknown template variables: " + String.join(", ", unknown) + " (the template takes "
                        + (template.keys().isEmpty() ? "none" : String.join(", ", template.keys())) + ")";
            }
            List<String> missing = template.missing(defaults, variables);
            if (!missing.isEmpty()) {
                return "missing template variables: " + String.join(", ", missing);
            }
            for (var entry : variables.entrySet()) {
                if (entry.getValue().length() > MAX_VALUE_LENGTH) {
                    return "template variable " + entry.getKey() + " is longer than " + MAX_VALUE_LENGTH + " characters";
                }
                String problem = template.valueProblem(entry.getKey(), entry.getValue());
                if (problem != null) {
                    return "template variable " + entry.getKey() + " " + problem;
                }
            }
            return null;
        }

        private void reject(int row, String field, String reason, String value) {
            rejectedCount++;
            if (rejected.size() < MAX_LISTED_REJECTIONS) {
                rejected.add(new Rejection(row, field, reason, value));
            }
        }
    }

    /** Blank values count as absent, so a CSV cell left empty falls back to the campaign default. */
    private static Map<String, String> clean(Map<String, String> variables) {
        Map<String, String> cleaned = new LinkedHashMap<>();
        if (variables != null) {
            variables.forEach((key, value) -> {
                if (key != null && value != null && !value.isBlank()) {
                    cleaned.put(key.strip(), value.strip());
                }
            });
        }
        return cleaned;
    }
}
