package io.wacast.campaign.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.wacast.campaign.service.ProblemException;
import io.wacast.common.problem.ParameterFormat;
import io.wacast.common.problem.Problem.FieldError;

/**
 * Checks path and query parameters before JAX-RS converts them ({@link ParameterFormat}): {@code id}
 * path parameters are numeric ids, {@code page} and {@code size} whole numbers, every value at most
 * {@value ParameterFormat#MAX_VALUE_LENGTH} characters. A wrong one is a 400 naming it, not JAX-RS's
 * bare 404 or an int overflow.
 */
public class ParameterFormats {

    private static final Map<String, ParameterFormat> PATH = Map.of("id", ParameterFormat.ID, "rid", ParameterFormat.ID);
    private static final Map<String, ParameterFormat> QUERY = Map.of("page", ParameterFormat.INT, "size",
            ParameterFormat.INT);

    @ServerRequestFilter
    public void checkParameters(ContainerRequestContext request) {
        check(request.getUriInfo().getPathParameters(), PATH);
        check(request.getUriInfo().getQueryParameters(), QUERY);
    }

    private static void check(MultivaluedMap<String, String> parameters, Map<String, ParameterFormat> formats) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                ParameterFormat.check(parameter.getKey(), value, formats.get(parameter.getKey()))
                        .ifPresent(ParameterFormats::refuse);
            }
        }
    }

    private static void refuse(FieldError error) {
        throw ProblemException.invalidField(error.field(), error.message());
    }
}
