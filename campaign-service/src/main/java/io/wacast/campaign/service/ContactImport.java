package io.wacast.campaign.service;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVRecord;

import io.wacast.campaign.domain.Contact;
import io.wacast.campaign.repository.ContactRepository;
import io.wacast.campaign.repository.ContactImportRepository.Progress;
import io.wacast.campaign.service.RecipientLoader.Rejection;
import io.wacast.campaign.service.RecipientLoader.Report;
import io.wacast.common.phone.PhoneNumberResult;
import io.wacast.common.phone.PhoneNumbers;
import io.wacast.common.problem.Problem.FieldError;

/**
 * One streamed contacts CSV ({@code phone,name,language,tags,<attribute columns>}) going into the
 * contact book in chunks: rows checked one by one and reported by row number like a recipient upload,
 * valid rows gathered into chunks of {@code chunkRows}, each handed to {@link Chunks#commit} (its own
 * transaction, §11 D28) once complete, so no transaction stays open while the client sends. Empty cells
 * leave what the contact has; tags ({@code ;}-separated) are added; an opt-in is recorded only when the
 * import is marked as consented.
 */
final class ContactImport {

    static final String HEADER = "phone,name,language,tags";
    private static final List<String> FIXED = List.of("phone", "name", "language", "tags");

    /** Stores one chunk and records the import's progress after it, all in one transaction. */
    interface Chunks {
        /**
         * @param at the report up to the chunk's last row ({@code committedRows}) without the chunk's own
         *     accepted and optedOut, which the store decides
         * @return how many of the chunk's numbers are on the suppression list (stored, counted optedOut)
         */
        long commit(List<ContactRepository.Upsert> rows, Progress at);
    }

    private final Chunks chunks;
    private final String defaultRegion;
    private final int chunkRows;
    private final Contact.OptIn optIn;
    private final PhoneSet seen = new PhoneSet();
    private final List<ContactRepository.Upsert> chunk = new ArrayList<>();
    private final List<Rejection> rejected = new ArrayList<>();
    private List<String> attributeColumns;
    private int lastRow;
    private long accepted;
    private long duplicates;
    private long optedOut;
    private long rejectedCount;
    /** The report of the rows committed so far. */
    private Progress committed = new Progress(0, 0, 0, 0, 0);

    ContactImport(Chunks chunks, String defaultRegion, int chunkRows, Contact.OptIn optIn) {
        this.chunks = chunks;
        this.defaultRegion = defaultRegion;
        this.chunkRows = chunkRows;
        this.optIn = optIn;
    }

    /** What is stored so far (after a failure: what stays stored). */
    Progress committed() {
        return committed;
    }

    Report read(InputStream csv, long maxBytes, int maxLineChars) {
        CsvStream.read(csv, maxBytes, maxLineChars, HEADER + "[,<attribute>…]", this::header, this::row);
        flush();
        return new Report(accepted, duplicates, optedOut, rejectedCount, List.copyOf(rejected));
    }

    private void header(List<String> columns) {
        List<FieldError> errors = new ArrayList<>();
        if (columns.size() < FIXED.size()
                || !columns.subList(0, FIXED.size()).stream().map(c -> c.toLowerCase(Locale.ROOT)).toList().equals(FIXED)) {
            errors.add(FieldError.of("header", "must start with the columns " + HEADER));
        }
        Set<String> names = new HashSet<>();
        List<String> attributes = columns.subList(Math.min(FIXED.size(), columns.size()), columns.size());
        for (String column : attributes) {
            String problem = ContactFields.attributeNameProblem(column);
            if (problem != null) {
                errors.add(FieldError.of("header", "column '" + column + "': " + problem));
            } else if (!names.add(column)) {
                errors.add(FieldError.of("header", "column '" + column + "' appears twice"));
            }
        }
        if (attributes.size() > ContactFields.MAX_ATTRIBUTES) {
            errors.add(FieldError.of("header", "more than " + ContactFields.MAX_ATTRIBUTES + " attribute columns"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("wrong CSV header; expected " + HEADER + " followed by attribute columns", errors);
        }
        attributeColumns = List.copyOf(attributes);
    }

    private void row(int row, CSVRecord record) {
        lastRow = row;
        if (record.size() != FIXED.size() + attributeColumns.size()) {
            reject(row, "row", "expected " + (FIXED.size() + attributeColumns.size()) + " columns like the header, found "
                    + record.size(), null);
            return;
        }
        PhoneNumberResult phone = PhoneNumbers.normalise(record.get(0), defaultRegion);
        if (phone instanceof PhoneNumberResult.Invalid invalid) {
            reject(row, "phone", invalid.reason(), PhoneNumbers.mask(record.get(0)));
            return;
        }
        String name = blankToNull(record.get(1));
        String problem = ContactFields.nameProblem(name);
        if (problem != null) {
            reject(row, "name", problem, null);
            return;
        }
        String language = blankToNull(record.get(2));
        problem = ContactFields.languageProblem(language);
        if (problem != null) {
            reject(row, "language", problem, language.length() > 40 ? null : language);
            return;
        }
        Set<String> tags = new LinkedHashSet<>();
        String rawTags = record.get(3);
        if (!rawTags.isBlank()) {
            for (String raw : rawTags.split(";")) {
                if (raw.isBlank()) {
                    continue;
                }
                String tag = ContactFields.normaliseTag(raw);
                problem = ContactFields.tagProblem(tag);
                if (problem != null) {
                    reject(row, "tags", problem, null);
                    return;
                }
                tags.add(tag);
            }
            if (tags.size() > ContactFields.MAX_TAGS) {
                reject(row, "tags", "more than " + ContactFields.MAX_TAGS + " tags", null);
                return;
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < attributeColumns.size(); i++) {
            String value = record.get(FIXED.size() + i);
            if (value.isBlank()) {
                continue;
            }
            String column = attributeColumns.get(i);
            problem = ContactFields.attributeValueProblem(column, value.strip());
            if (problem != null) {
                reject(row, column, problem, null);
                return;
            }
            attributes.put(column, value.strip());
        }
        PhoneNumberResult.Valid valid = (PhoneNumberResult.Valid) phone;
        if (!seen.add(valid.e164())) {
            duplicates++;
            return;
        }
        chunk.add(new ContactRepository.Upsert(valid.e164(), valid.regionCode(), name, language, attributes, tags, optIn));
        if (chunk.size() >= chunkRows) {
            flush();
        }
    }

    private void flush() {
        if (chunk.isEmpty() && lastRow == committed.committedRows()) {
            return;
        }
        long suppressed = chunks.commit(List.copyOf(chunk), new Progress(lastRow, accepted, duplicates, optedOut, rejectedCount));
        optedOut += suppressed;
        accepted += chunk.size() - suppressed;
        committed = new Progress(lastRow, accepted, duplicates, optedOut, rejectedCount);
        chunk.clear();
    }

    private void reject(int row, String field, String reason, String value) {
        rejectedCount++;
        if (rejected.size() < RecipientLoader.MAX_LISTED_REJECTIONS) {
            rejected.add(new Rejection(row, field, reason, value));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
