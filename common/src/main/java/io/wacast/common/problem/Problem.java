package io.wacast.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of every 4xx/5xx answer of every wacast API, served as {@code application/problem+json}
 * (RFC 9457), so that operators and scripts read one error shape whichever service answered.
 *
 * @param type a URI naming the kind of problem, e.g. {@code https://wacast.io/problems/validation}
 * @param title short, the same for every occurrence of the type
 * @param status the HTTP status
 * @param detail what went wrong this time, in words an operator can act on
 * @param instance the request path
 * @param errors each offending field or CSV row; empty when the problem is not about input
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://wacast.io/problems/";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** A problem of type {@code TYPE_BASE + slug}, e.g. {@code of("validation", "Invalid request", 400, ...)}. */
    public static Problem of(String slug, String title, int status, String detail, String instance, List<FieldError> errors) {
        return new Problem(TYPE_BASE + slug, title, status, detail, instance, errors);
    }

    /**
     * Where one input was wrong.
     *
     * @param field the JSON path or CSV column, e.g. {@code recipients[3].phoneNumber}
     * @param row the 1-based CSV data row (header excluded), or null for JSON input
     * @param message what was wrong with it
     * @param value the rejected value, when echoing it is safe (never a secret; phones masked)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, Integer row, String message, String value) {

        public static FieldError of(String field, String message) {
            return new FieldError(field, null, message, null);
        }

        public static FieldError atRow(int row, String field, String message, String value) {
            return new FieldError(field, row, message, value);
        }
    }
}
