package io.wacast.catalog.rest;

import io.wacast.catalog.service.CatalogProblem;
import io.wacast.common.WireNames;
import io.wacast.common.problem.Problem.FieldError;

/** Reads an enum from a query parameter, answering 400 with the allowed values rather than JAX-RS's bare 404. */
final class QueryEnums {

    static <E extends Enum<E>> E parse(Class<E> type, String parameter, String value) {
        try {
            return WireNames.parse(type, value);
        } catch (IllegalArgumentException e) {
            throw CatalogProblem.invalid(parameter + ": " + e.getMessage(), FieldError.of(parameter, e.getMessage()));
        }
    }

    private QueryEnums() {
    }
}
