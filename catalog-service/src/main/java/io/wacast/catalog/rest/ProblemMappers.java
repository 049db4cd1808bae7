package io.wacast.catalog.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.wacast.catalog.service.CatalogProblem;
import io.wacast.common.problem.JsonSyntax;
import io.wacast.common.problem.Problem;
import io.wacast.common.problem.Problem.FieldError;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error answer is {@code application/problem+json} with the offending fields. There is no
 * catch-all mapper: an unexpected exception stays a plain 500 without details, rather than one that
 * names classes.
 */
public class ProblemMappers {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response catalogProblem(CatalogProblem e, UriInfo uri) {
        return respond(new Problem(Problem.TYPE_BASE + e.slug(), e.title(), e.status(), e.getMessage(), path(uri), e.errors()));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(FieldError.of(field(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field));
        String detail = errors.stream().map(error -> error.field() + " " + error.message()).reduce((a, b) -> a + "; " + b)
                .orElse("the request is invalid");
        return respond(Problem.of("validation", "Invalid request", 400, detail, path(uri), errors));
    }

    /** Malformed JSON, a wrong type (a fraction for an integer, a word for a number) or an unknown enum value. */
    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof JsonProcessingException syntax
                && !(syntax instanceof JsonMappingException)) {
            // Broken JSON inside a field (bytes that are not UTF-8, nesting too deep): say so, and where.
            String detail = JsonSyntax.describe(syntax);
            String field = mapping.getPath().isEmpty() ? "body" : jsonPath(mapping.getPath());
            return respond(Problem.of("malformed-json", "Malformed JSON", 400, detail, path(uri),
                    List.of(FieldError.of(field, detail))));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping.getPath());
            String message = describe(mapping);
            return respond(Problem.of("validation", "Invalid request", 400, field + ": " + message, path(uri),
                    List.of(FieldError.of(field, message))));
        }
        String detail = JsonSyntax.describe(e);
        return respond(Problem.of("malformed-json", "Malformed JSON", 400, detail, path(uri),
                List.of(FieldError.of("body", detail))));
    }

    /** Declared on its own: Quarkus has a built-in mapper for this subtype that would otherwise win. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper
    public Response concurrentUpdate(OptimisticLockException e, UriInfo uri) {
        return respond(Problem.of("concurrent-update", "Conflict", 409,
                "someone else changed this resource at the same time; read it again and retry", path(uri), List.of()));
    }

    /**
     * A unique key taken by a concurrent request between this one's check and its write (two catalogs
     * created with one Meta catalog id at the same moment): nothing was written; 409, never a 500. Other
     * constraints (a foreign key, a null) are not a caller's conflict and stay an opaque 500, logged.
     */
    @ServerExceptionMapper
    public Response duplicate(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        if (e.getKind() != org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE) {
            LOG.errorf(e, "%s failed on a database constraint", uri == null ? "a request" : uri.getPath());
            return respond(Problem.of("internal", "Internal error", 500, "the request failed; nothing was written", path(uri),
                    List.of()));
        }
        return respond(Problem.of("conflict", "Conflict with a concurrent change", 409, "another request wrote the same"
                + " record at the same moment; nothing was written: read the current state and retry if it is still needed",
                path(uri), List.of()));
    }

    /** 404 for unknown paths, 405, 406, 415 and the other statuses JAX-RS raises itself. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadable(unreadable, uri);
        }
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 415 -> "send the body as application/json";
            case 405 -> "the method is not allowed on this resource";
            default -> title;
        };
        return respond(Problem.of(slug, title, status, detail, path(uri), List.of()));
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof ValueInstantiationException && e.getCause() != null && e.getCause().getMessage() != null) {
            return e.getCause().getMessage();
        }
        if (e instanceof InvalidFormatException format) {
            return "cannot read '" + shortened(String.valueOf(format.getValue())) + "' as " + typeName(format.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + typeName(mismatch.getTargetType());
        }
        return "cannot be read";
    }

    private static String shortened(String value) {
        String safe = value.codePoints().anyMatch(c -> c < 0x20 || (c >= 0x7F && c <= 0x9F)) ? "…" : value;
        return safe.length() <= 40 ? safe : safe.substring(0, 40) + "…";
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "the expected type";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type.isEnum()) {
            return "one of the listed values";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == String.class) {
            return "a string";
        }
        return "an object";
    }

    private static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * "create.draft.items[0].quantity" → "items[0].quantity", "list.size" → "size": the method and
     * parameter names of the resource mean nothing to callers.
     */
    private static String field(Path path) {
        String[] parts = path.toString().replaceAll("\\.<[^>]+>", "").split("\\.", 3);
        return parts.length == 3 ? parts[2] : parts[parts.length - 1];
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
