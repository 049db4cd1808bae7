package io.wacast.catalog.rest;

import io.wacast.catalog.service.CatalogProblem;
import io.wacast.common.problem.ParameterFormat;
import io.wacast.common.problem.Problem.FieldError;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks path and query parameters before JAX-RS converts them: a conversion failure there is a bare
 * 404 that names nothing ({@code /orders/abc}, {@code ?size=abc}, {@code ?page=1e3}), and an int that
 * overflows is worse. Every path parameter of this API is a numeric id; the query parameters are
 * listed here by name ({@link ParameterFormat}). A wrong one is a 400 naming it.
 */
public class ParameterFormats {

    private static final Map<String, ParameterFormat> QUERY = Map.of(
            "page", ParameterFormat.INT, "size", ParameterFormat.INT, "catalogId", ParameterFormat.ID,
            "campaignId", ParameterFormat.ID, "flagged", ParameterFormat.BOOLEAN);

    @ServerRequestFilter
    public void checkParameters(ContainerRequestContext request) {
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters();
        for (Map.Entry<String, List<String>> parameter : path.entrySet()) {
            for (String value : parameter.getValue()) {
                ParameterFormat.check(parameter.getKey(), value, ParameterFormat.ID)
                        .ifPresent(ParameterFormats::refuse);
            }
        }
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            for (String value : parameter.getValue()) {
                ParameterFormat.check(parameter.getKey(), value, QUERY.get(parameter.getKey()))
                        .ifPresent(ParameterFormats::refuse);
            }
        }
    }

    private static void refuse(FieldError error) {
        throw CatalogProblem.invalid(error.field() + " " + error.message(), error);
    }
}
