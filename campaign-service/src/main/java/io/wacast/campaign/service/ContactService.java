package io.wacast.campaign.service;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.wacast.campaign.config.CampaignConfig;
import io.wacast.campaign.domain.ConsentSource;
import io.wacast.campaign.domain.ConsentStatus;
import io.wacast.campaign.domain.Contact;
import io.wacast.campaign.domain.OptOut;
import io.wacast.campaign.repository.ContactImportRepository;
import io.wacast.campaign.repository.ContactRepository;
import io.wacast.campaign.repository.RecipientRepository;
import io.wacast.campaign.repository.SuppressionRepository;
import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.problem.Problem.FieldError;

/**
 * The contact book: one contact upserted by phone, read, erased; lists, exports and bulk tag changes
 * by filter; streamed CSV imports. Consent is an opt-in recorded here plus the suppression list for
 * opt-outs (DESIGN.md §11 D14).
 */
@ApplicationScoped
public class ContactService {

    private static final Logger LOG = Logger.getLogger(ContactService.class);

    /** Sources an operator may name when recording an opt-in through the API. */
    static final Set<ConsentSource> API_SOURCES = Set.of(ConsentSource.API, ConsentSource.WEB_FORM, ConsentSource.QR);

    /**
     * A contact as the API sends it. Every field replaces what the contact has (absent: none);
     * {@code consent} absent leaves the consent as it is.
     */
    public record ContactSpec(String name, String language, String bsuid, Map<String, String> attributes,
            List<String> tags, ConsentSpec consent) {
    }

    /**
     * {@code opted_in} records an opt-in ({@code source} api, web_form or qr; api when absent),
     * {@code none} clears the recorded opt-in, {@code opted_out} puts the number on the suppression list.
     */
    public record ConsentSpec(ConsentStatus status, ConsentSource source, String evidence) {
    }

    public record Upserted(Contact contact, boolean created) {
    }

    public record ContactPage(List<Contact> items, int page, int size, long total) {
    }

    /** @param tagged per tag, contacts that did not have it; @param untagged per tag, contacts that had it */
    public record TagChange(long matched, Map<String, Long> tagged, Map<String, Long> untagged) {
    }

    private final ContactRepository contacts;
    private final RecipientRepository recipients;
    private final SuppressionRepository suppression;
    @jakarta.inject.Inject
    io.wacast.campaign.repository.ConsentHistoryRepository consentHistory;
    private final OptOutService optOuts;
    private final ContactImportRepository imports;
    private final CampaignConfig config;

    ContactService(ContactRepository contacts, RecipientRepository recipients, SuppressionRepository suppression,
            OptOutService optOuts, ContactImportRepository imports, CampaignConfig config) {
        this.contacts = contacts;
        this.imports = imports;
        this.recipients = recipients;
        this.suppression = suppression;
        this.optOuts = optOuts;
        this.config = config;
    }

    @Transactional
    public Upserted upsert(String rawPhone, ContactSpec spec) {
        PhoneNumberResult.Valid phone = phone(rawPhone);
        ContactRepository.Replacement replacement = validated(phone, spec);
        if (replacement.bsuid() != null) {
            contacts.phoneOfBsuid(replacement.bsuid()).filter(owner -> !owner.equals(phone.e164())).ifPresent(owner -> {
                throw new ProblemException(409, "conflict", "Conflict with the current state",
                        "bsuid: another contact (" + PhoneNumbers.mask(owner) + ") holds this BSUID",
                        List.of(FieldError.of("bsuid", "held by another contact")));
            });
        }
        Optional<Long> existing = contacts.lockByPhone(phone.e164());
        Instant now = Instant.now();
        long id = contacts.replace(existing, replacement, now);
        suppression.reidentify(recipients.suppressed(List.of(phone.e164())));
        ConsentSpec consent = spec.consent();
        if (consent != null) {
            applyConsent(id, phone.e164(), consent, now);
        }
        return new Upserted(contacts.find(phone.e164()).orElseThrow(), existing.isEmpty());
    }

    @Transactional
    public Contact get(String rawPhone) {
        String e164 = phone(rawPhone).e164();
        return contacts.find(e164).orElseThrow(() -> ProblemException.notFound("contact", PhoneNumbers.mask(e164)));
    }

    /** The contact of a number, if there is one (400 for a number that is not one). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Optional<Contact> find(String rawPhone) {
        return contacts.find(phone(rawPhone).e164());
    }

    /**
     * The number's consent changes, newest first (at most {@code limit}): kept after an erasure (without
     * their evidence), so an opt-out stays provable. 404 when the number has neither a contact nor a history.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<io.wacast.campaign.repository.ConsentHistoryRepository.Change> consentHistory(String rawPhone, int limit) {
        String e164 = phone(rawPhone).e164();
        List<io.wacast.campaign.repository.ConsentHistoryRepository.Change> changes = consentHistory.of(e164, limit);
        if (changes.isEmpty() && contacts.find(e164).isEmpty()) {
            throw ProblemException.notFound("contact", PhoneNumbers.mask(e164));
        }
        return changes;
    }

    /**
     * Erases the contact: its row, name, attributes, tags and opt-in go; an opt-out of the number stays,
     * as a hash only, so the number is still never messaged. 404 when there is neither.
     */
    @Transactional
    public void erase(String rawPhone) {
        String e164 = phone(rawPhone).e164();
        if (!contacts.erase(e164)) {
            throw ProblemException.notFound("contact", PhoneNumbers.mask(e164));
        }
        LOG.infof("contact %s erased", PhoneNumbers.mask(e164));
    }

    @Transactional
    public ContactPage list(ContactFilter filter, int page, int size) {
        return new ContactPage(contacts.page(filter, page, size), page, size, contacts.count(filter));
    }

    /**
     * A contacts import's answer: the row report and the import whose {@code contact_imports} row keeps
     * it ({@code status} completed; {@code committedRows} the last CSV row stored).
     */
    public record ImportReport(long importId, String status, long committedRows, long accepted, long duplicates,
            long optedOut, long rejectedCount, List<RecipientLoader.Rejection> rejected) {
    }

    /**
     * Streams the CSV into the contact book in chunks of {@code contacts.import-chunk-rows} rows, each
     * committed in its own transaction with the import's progress (§11 D28): an import no larger than a
     * chunk is all or nothing; a failure of a larger one as a whole (too large, not UTF-8, the database
     * failing) keeps the chunks already committed, marks the import failed with how far it got and says so
     * in the problem ({@code errors[].field = importId}); re-sending the file is safe (upserts by number).
     * Bad rows are reported and the others stored. {@code consented}: the operator marks the import as
     * having consent, recorded as each new opt-in's evidence with {@code evidence}.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public ImportReport importCsv(InputStream csv, boolean consented, String evidence, String caller) {
        String problem = ContactFields.evidenceProblem(evidence);
        if (problem != null) {
            throw ProblemException.invalidField("evidence", problem);
        }
        if (!consented && evidence != null && !evidence.isBlank()) {
            throw ProblemException.invalidField("evidence", "evidence is recorded only for an import marked consented=true");
        }
        Instant now = Instant.now();
        Contact.OptIn optIn = consented ? new Contact.OptIn(ConsentSource.CSV_IMPORT, now, truncate(
                "CSV import marked as consented by API key '" + caller + "'"
                        + (evidence == null || evidence.isBlank() ? "" : ": " + evidence.strip()), ContactFields.MAX_EVIDENCE))
                : null;
        long importId = imports.start(caller, consented, now);
        ContactImport load = new ContactImport((rows, at) -> commitChunk(importId, rows, at, now), config.defaultRegion(),
                config.contacts().importChunkRows(), optIn);
        RecipientLoader.Report report;
        try {
            report = load.read(csv, config.recipients().maxUploadSize().asLongValue(),
                    (int) config.recipients().maxLineLength().asLongValue());
        } catch (ProblemException e) {
            imports.finish(importId, false, load.committed(), e.getMessage(), Instant.now());
            throw withImport(e, importId, load.committed());
        } catch (RuntimeException e) {
            LOG.errorf(e, "contacts import %d failed after row %d", importId, load.committed().committedRows());
            imports.finish(importId, false, load.committed(), "the database failed while storing a chunk", Instant.now());
            throw withImport(new ProblemException(503, "unavailable", "Service unavailable",
                    "the database failed while storing the import", List.of()), importId, load.committed());
        }
        imports.finish(importId, true, load.committed(), null, Instant.now());
        return new ImportReport(importId, "completed", load.committed().committedRows(), report.accepted(), report.duplicates(),
                report.optedOut(), report.rejectedCount(), report.rejected());
    }

    /** One chunk in its own transaction, run again when the database chose it as a deadlock victim. */
    private long commitChunk(long importId, List<ContactRepository.Upsert> rows, ContactImportRepository.Progress at,
            Instant now) {
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().timeout(CHUNK_TIMEOUT_SECONDS).call(() -> storeChunk(importId, rows, at, now));
            } catch (RuntimeException e) {
                if (attempt == 5 || !ContactImportRepository.lockConflict(e)) {
                    throw e;
                }
                LOG.warnf("contacts import %d: chunk ending at row %d was a deadlock victim, attempt %d", importId,
                        at.committedRows(), attempt);
            }
        }
    }

    private long storeChunk(long importId, List<ContactRepository.Upsert> rows, ContactImportRepository.Progress at, Instant now) {
        long suppressed = 0;
        int batch = config.recipients().insertBatchSize();
        for (int from = 0; from < rows.size(); from += batch) {
            List<ContactRepository.Upsert> part = rows.subList(from, Math.min(rows.size(), from + batch));
            Set<String> numbers = recipients.suppressed(part.stream().map(ContactRepository.Upsert::phone).toList());
            suppressed += numbers.size();
            contacts.upsertAll(part, now);
            suppression.reidentify(numbers);
        }
        imports.progress(importId, new ContactImportRepository.Progress(at.committedRows(),
                at.accepted() + rows.size() - suppressed, at.duplicates(), at.optedOut() + suppressed, at.rejectedCount()), Instant.now());
        return suppressed;
    }

    private static final int CHUNK_TIMEOUT_SECONDS = 300;

    /** The problem of a failed import, saying which import it was and what of it stays stored. */
    private static ProblemException withImport(ProblemException e, long importId, ContactImportRepository.Progress committed) {
        String stored = committed.committedRows() == 0 && committed.accepted() + committed.optedOut() == 0
                ? "nothing of it is stored"
                : "rows 1-" + committed.committedRows() + " are stored (" + (committed.accepted() + committed.optedOut())
                        + " contacts), later rows are not; sending the file again is safe (contacts are upserted by number)";
        List<FieldError> errors = new ArrayList<>(e.errors());
        errors.add(new FieldError("importId", null, "import " + importId + " failed: " + stored, Long.toString(importId)));
        return new ProblemException(e.status(), e.slug(), e.title(), e.getMessage() + " (import " + importId + ": " + stored + ")",
                errors);
    }

    /** A contacts import's row: what it has committed. */
    public ContactImportRepository.ContactImportRow importOf(long id) {
        return imports.find(id).orElseThrow(() -> ProblemException.notFound("contacts import", id));
    }

    /** Streams the matching contacts (not in a transaction: a long export holds no locks). */
    public void export(ContactFilter filter, java.util.function.Consumer<List<String>> attributeNames,
            ContactRepository.RowSink rows) throws java.io.IOException {
        contacts.export(filter, attributeNames, rows);
    }

    /** Adds and removes tags on every contact the filter matches, in one transaction. */
    @Transactional
    @TransactionConfiguration(timeout = 600)
    public TagChange retag(ContactFilter filter, List<String> add, List<String> remove) {
        List<FieldError> errors = new ArrayList<>();
        List<String> toAdd = tags("add", add, errors);
        List<String> toRemove = tags("remove", remove, errors);
        if (toAdd.isEmpty() && toRemove.isEmpty() && errors.isEmpty()) {
            errors.add(FieldError.of("add", "name at least one tag to add or remove"));
        }
        toAdd.stream().filter(toRemove::contains).findFirst()
                .ifPresent(tag -> errors.add(new FieldError("remove", null, "tag is also being added", tag)));
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        long[] matched = contacts.ids(filter);
        Instant now = Instant.now();
        Map<String, Long> tagged = new LinkedHashMap<>();
        for (String tag : toAdd) {
            tagged.put(tag, contacts.tag(matched, tag, now));
        }
        Map<String, Long> untagged = new LinkedHashMap<>();
        for (String tag : toRemove) {
            untagged.put(tag, contacts.untag(matched, tag));
        }
        return new TagChange(matched.length, tagged, untagged);
    }

    private void applyConsent(long id, String e164, ConsentSpec consent, Instant now) {
        if (consent.status() == null) {
            throw ProblemException.invalidField("consent.status", "required: opted_in, none or opted_out");
        }
        String problem = ContactFields.evidenceProblem(consent.evidence());
        if (problem != null) {
            throw ProblemException.invalidField("consent.evidence", problem);
        }
        switch (consent.status()) {
            case OPTED_IN -> {
                ConsentSource source = consent.source() == null ? ConsentSource.API : consent.source();
                if (!API_SOURCES.contains(source)) {
                    throw ProblemException.invalidField("consent.source",
                            "through the API an opt-in comes from api, web_form or qr, not " + source.value());
                }
                if (!recipients.suppressed(List.of(e164)).isEmpty()) {
                    throw new ProblemException(409, "conflict", "Conflict with the current state",
                            "the number is on the suppression list; an opt-in through the API does not lift it (the user's"
                                    + " START does, or an operator: DELETE /api/whatsapp/opt-outs/{phone})",
                            List.of(FieldError.of("consent.status", "the number is opted out")));
                }
                contacts.setOptIn(id, new Contact.OptIn(source, now, blankToNull(consent.evidence())), now);
            }
            case NONE -> contacts.setOptIn(id, null, now);
            case OPTED_OUT -> optOuts.add(e164, OptOut.SOURCE_OPERATOR, blankToNull(consent.evidence()));
        }
    }

    private ContactRepository.Replacement validated(PhoneNumberResult.Valid phone, ContactSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        String name = blankToNull(spec.name());
        check(errors, "name", ContactFields.nameProblem(name));
        String language = blankToNull(spec.language());
        check(errors, "language", ContactFields.languageProblem(language));
        String bsuid = blankToNull(spec.bsuid());
        check(errors, "bsuid", ContactFields.bsuidProblem(bsuid));
        Map<String, String> attributes = new LinkedHashMap<>();
        if (spec.attributes() != null) {
            if (spec.attributes().size() > ContactFields.MAX_ATTRIBUTES) {
                errors.add(FieldError.of("attributes", "more than " + ContactFields.MAX_ATTRIBUTES + " attributes"));
            }
            spec.attributes().forEach((key, value) -> {
                String field = "attributes." + key;
                String problem = ContactFields.attributeNameProblem(key);
                if (problem == null) {
                    problem = ContactFields.attributeValueProblem(key, value == null ? null : value.strip());
                }
                if (problem != null) {
                    errors.add(FieldError.of(field, problem));
                } else if (!value.isBlank()) {
                    attributes.put(key, value.strip());
                }
            });
        }
        List<String> tags = tags("tags", spec.tags(), errors);
        if (tags.size() > ContactFields.MAX_TAGS) {
            errors.add(FieldError.of("tags", "more than " + ContactFields.MAX_TAGS + " tags"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " fields are invalid", errors);
        }
        return new ContactRepository.Replacement(phone.e164(), phone.regionCode(), bsuid, name, language, attributes,
                new LinkedHashSet<>(tags));
    }

    private static List<String> tags(String field, List<String> raw, List<FieldError> errors) {
        Set<String> tags = new LinkedHashSet<>();
        if (raw == null) {
            return List.of();
        }
        for (int i = 0; i < raw.size(); i++) {
            String tag = ContactFields.normaliseTag(raw.get(i));
            String problem = ContactFields.tagProblem(tag);
            if (problem != null) {
                errors.add(new FieldError(field + "[" + i + "]", null, problem, null));
            } else {
                tags.add(tag);
            }
        }
        return List.copyOf(tags);
    }

    private PhoneNumberResult.Valid phone(String raw) {
        PhoneNumberResult result = PhoneNumbers.normalise(raw, config.defaultRegion());
        if (result instanceof PhoneNumberResult.Invalid invalid) {
            throw ProblemException.invalid("phone: " + invalid.reason(),
                    List.of(new FieldError("phone", null, invalid.reason(), PhoneNumbers.mask(raw))));
        }
        return (PhoneNumberResult.Valid) result;
    }

    private static void check(List<FieldError> errors, String field, String problem) {
        if (problem != null) {
            errors.add(FieldError.of(field, problem));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
