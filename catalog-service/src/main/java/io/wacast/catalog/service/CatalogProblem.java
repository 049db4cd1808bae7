package io.wacast.catalog.service;

import io.wacast.common.problem.Problem.FieldError;
import java.util.List;

/**
 * A request the catalog cannot carry out for a reason the caller can act on; the REST layer turns it
 * into an {@code application/problem+json} answer with the same status, title and field errors.
 */
public class CatalogProblem extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;

    public CatalogProblem(int status, String slug, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static CatalogProblem notFound(String what, Object id) {
        return new CatalogProblem(404, "not-found", "Not found", what + " " + id + " does not exist", List.of());
    }

    public static CatalogProblem conflict(String slug, String detail, FieldError... errors) {
        return new CatalogProblem(409, slug, "Conflict", detail, List.of(errors));
    }

    public static CatalogProblem unprocessable(String slug, String detail, List<FieldError> errors) {
        return new CatalogProblem(422, slug, "Unprocessable request", detail, errors);
    }

    public static CatalogProblem invalid(String detail, FieldError... errors) {
        return new CatalogProblem(400, "validation", "Invalid request", detail, List.of(errors));
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
