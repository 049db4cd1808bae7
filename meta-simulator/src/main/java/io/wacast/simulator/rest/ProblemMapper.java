package io.wacast.simulator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.wacast.common.problem.Problem;
import io.wacast.simulator.service.InvalidInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The {@code /sim} endpoints answer bad input with {@code application/problem+json}, like every wacast API. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        return problem(e.getMessage(), e.errors(), uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String detail = e.getOriginalMessage();
        return problem("the body is not valid JSON: " + detail, List.of(), uri);
    }

    /** Quarkus wraps unreadable JSON bodies in a 400 {@link WebApplicationException}; everything else passes. */
    @ServerExceptionMapper
    public Response unreadableBody(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, uri);
        }
        return e.getResponse();
    }

    private static Response problem(String detail, List<Problem.FieldError> errors, UriInfo uri) {
        Problem problem = Problem.of("validation", "Invalid request", 400, detail, uri.getPath(), errors);
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
