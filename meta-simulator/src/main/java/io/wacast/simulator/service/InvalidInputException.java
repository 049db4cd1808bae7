package io.wacast.simulator.service;

import io.wacast.common.problem.Problem.FieldError;
import java.util.List;

/** Input to a {@code /sim} control endpoint is not acceptable; carries each offending field. */
public class InvalidInputException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidInputException(String message, List<FieldError> errors) {
        super(message, null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
