package io.wacast.console.client;

import java.util.List;

import io.wacast.common.problem.Problem;

/**
 * An upstream API refused a call (4xx) or failed (5xx): its problem+json, which pages show as the
 * reason, with field errors next to their fields.
 */
public class UpstreamException extends RuntimeException {

    private final int status;
    private final transient Problem problem;

    public UpstreamException(int status, Problem problem) {
        super(status + " " + problem.title() + ": " + problem.detail(), null, false, false);
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    public Problem problem() {
        return problem;
    }

    /** What to show: the upstream's detail, or its title when it gave none. */
    public String reason() {
        return problem.detail() != null && !problem.detail().isBlank() ? problem.detail() : problem.title();
    }

    public List<Problem.FieldError> errors() {
        return problem.errors();
    }

    /** The message for one field (its JSON path, e.g. {@code name} or {@code sendWindow.endHour}), or null. */
    public String errorFor(String field) {
        return problem.errors().stream()
                .filter(e -> field.equals(e.field()))
                .map(Problem.FieldError::message)
                .findFirst().orElse(null);
    }
}
