package io.wacast.catalog.rest;

import io.wacast.catalog.service.CatalogProblem;
import io.wacast.common.problem.Problem.FieldError;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks path and query parameters before JAX-RS converts them: a conversion failure there is a bare
 * 404 that names nothing ({@code /orders/abc}, {@code ?size=abc}, {@code ?page=1e3}), and an int that
 * overflows is worse. Every path parameter of this API is a numeric id; the query parameters are
 * listed here by name. A wrong one is a 400 naming it.
 */
public class ParameterFormats {

    /** The longest value of any query parameter (search terms, phone numbers, enum names). */
    static final int MAX_QUERY_VALUE_LENGTH = 200;
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern INT = Pattern.compile("[0-9]{1,9}");
    private static final Map<String, Format> QUERY = Map.of(
            "page", Format.INT, "size", Format.INT, "catalogId", Format.ID, "campaignId", Format.ID,
            "flagged", Format.BOOLEAN);

    enum Format {
        ID("a whole number of at most 18 digits"),
        INT("a whole number of at most 9 digits"),
        BOOLEAN("true or false");

        final String description;

        Format(String description) {
            this.description = description;
        }

        boolean accepts(String value) {
            return switch (this) {
                case ID -> ParameterFormats.ID.matcher(value).matches();
                case INT -> ParameterFormats.INT.matcher(value).matches();
                case BOOLEAN -> value.equals("true") || value.equals("false");
            };
        }
    }

    @ServerRequestFilter
    public void checkParameters(ContainerRequestContext request) {
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters();
        for (Map.Entry<String, List<String>> parameter : path.entrySet()) {
            for (String value : parameter.getValue()) {
                if (!Format.ID.accepts(value)) {
                    throw invalid(parameter.getKey(), Format.ID.description);
                }
            }
        }
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            Format format = QUERY.get(parameter.getKey());
            for (String value : parameter.getValue()) {
                if (value.length() > MAX_QUERY_VALUE_LENGTH) {
                    throw invalid(parameter.getKey(), "at most " + MAX_QUERY_VALUE_LENGTH + " characters");
                }
                if (format != null && !value.isEmpty() && !format.accepts(value)) {
                    throw invalid(parameter.getKey(), format.description);
                }
            }
        }
    }

    private static CatalogProblem invalid(String parameter, String expected) {
        String message = (expected.startsWith("at most") ? "must have " : "must be ") + expected;
        return CatalogProblem.invalid(parameter + " " + message, FieldError.of(parameter, message));
    }
}
