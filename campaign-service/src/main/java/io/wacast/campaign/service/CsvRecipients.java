package io.wacast.campaign.service;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.commons.csv.CSVRecord;

import io.wacast.campaign.domain.TemplateVariables;
import io.wacast.common.problem.Problem.FieldError;

/**
 * Reads a recipients CSV as it arrives ({@link CsvStream}). The header is {@code phone,name}
 * followed by one column per template variable ({@code body.1}, {@code header.image}, …); cells left
 * empty fall back to the campaign's default values.
 */
final class CsvRecipients {

    private CsvRecipients() {
    }

    /**
     * Feeds every data row to {@code rows}; throws a {@link ProblemException} for what spoils the whole
     * upload: a wrong header (400), bytes that are not UTF-8 (400), a broken quote (400), or more than
     * {@code maxBytes} or a line of more than {@code maxLineChars} (413).
     */
    static void read(InputStream body, long maxBytes, int maxLineChars, TemplateVariables template,
            Map<String, String> defaults, Consumer<RecipientLoader.Input> rows) {
        List<List<String>> header = new ArrayList<>(1);
        CsvStream.read(body, maxBytes, maxLineChars, expectedHeader(template),
                cells -> header.add(header(cells, template, defaults)),
                (row, record) -> rows.accept(toInput(row, record, header.get(0))));
    }

    private static List<String> header(List<String> columns, TemplateVariables template, Map<String, String> defaults) {
        List<FieldError> errors = new ArrayList<>();
        if (columns.size() < 2 || !columns.get(0).toLowerCase(Locale.ROOT).equals("phone")
                || !columns.get(1).toLowerCase(Locale.ROOT).equals("name")) {
            errors.add(FieldError.of("header", "must start with the columns phone,name"));
        }
        Set<String> seen = new HashSet<>();
        for (String column : columns.subList(Math.min(2, columns.size()), columns.size())) {
            if (!template.keys().contains(column)) {
                errors.add(FieldError.of("header", "unknown column '" + column + "': not a variable of the template"));
            } else if (!seen.add(column)) {
                errors.add(FieldError.of("header", "column '" + column + "' appears twice"));
            }
        }
        if (errors.isEmpty()) {
            List<String> missing = template.missing(defaults, Map.of()).stream().filter(key -> !seen.contains(key)).toList();
            if (!missing.isEmpty()) {
                throw ProblemException.unprocessable("missing template variables: " + String.join(", ", missing)
                        + " have no campaign default, so the CSV needs a column for each",
                        missing.stream().map(key -> FieldError.of("header", "missing column '" + key + "'")).toList());
            }
            return columns;
        }
        throw ProblemException.invalid("wrong CSV header; expected " + expectedHeader(template), errors);
    }

    private static RecipientLoader.Input toInput(int row, CSVRecord record, List<String> columns) {
        if (record.size() != columns.size()) {
            return RecipientLoader.Input.malformed(row,
                    "expected " + columns.size() + " columns like the header, found " + record.size());
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 2; i < columns.size(); i++) {
            variables.put(columns.get(i), record.get(i));
        }
        return new RecipientLoader.Input(row, record.get(0), record.get(1), variables, null);
    }

    private static String expectedHeader(TemplateVariables template) {
        List<String> columns = new ArrayList<>(List.of("phone", "name"));
        columns.addAll(template.keys());
        return String.join(",", columns);
    }
}
