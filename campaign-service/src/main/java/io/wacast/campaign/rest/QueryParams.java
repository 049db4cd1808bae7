package io.wacast.campaign.rest;

import io.wacast.campaign.service.ProblemException;
import io.wacast.common.WireNames;
import io.wacast.common.problem.ParameterFormat;

/**
 * Enum query parameters are parsed here rather than by JAX-RS, whose rule for a value it cannot
 * convert is a bare 404; an operator gets a 400 naming the parameter and the allowed values instead.
 * Paging is bounded here too.
 */
final class QueryParams {

    static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return WireNames.parse(type, value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(name, e.getMessage());
        }
    }

    /** A 400 naming {@code page} when the page starts beyond {@link ParameterFormat#MAX_OFFSET} rows. */
    static void checkPage(int page, int size) {
        ParameterFormat.checkPage(page, size).ifPresent(error -> {
            throw ProblemException.invalidField(error.field(), error.message());
        });
    }

    private QueryParams() {
    }
}
