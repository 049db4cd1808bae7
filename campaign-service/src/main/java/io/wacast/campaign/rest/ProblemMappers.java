package io.wacast.campaign.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import io.wacast.campaign.service.ProblemException;
import io.wacast.common.problem.Problem.FieldError;

/**
 * Turns every refusal into {@code application/problem+json} that says what was wrong and where.
 * Messages are written here rather than copied from exceptions, so no class name reaches a client.
 * There is deliberately no catch-all mapper: an unexpected failure stays an opaque 500.
 */
public class ProblemMappers {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return Problems.response(e.status(), e.slug(), e.title(), e.getMessage(), path(uri), e.errors());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(FieldError.of(fieldOf(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(java.util.Comparator.comparing(FieldError::field));
        return Problems.response(400, "validation", "Invalid request",
                errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                        : errors.size() + " fields are invalid",
                path(uri), errors);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e, UriInfo uri) {
        return jsonProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return jsonProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        return jsonProblem(e, uri);
    }

    @ServerExceptionMapper
    public Response concurrentEdit(OptimisticLockException e, UriInfo uri) {
        return Problems.response(409, "conflict", "Conflict with the current state",
                "the resource was changed by another request; read it again and retry", path(uri), List.of());
    }

    /**
     * A deadlock or lock timeout with a concurrent change (e.g. the template sync inserting the template
     * an operator registers at the same moment): nothing was written; 503 with Retry-After, never a 500.
     */
    @ServerExceptionMapper
    public Response lockConflict(PessimisticLockException e, UriInfo uri) {
        return Response.fromResponse(Problems.response(503, "busy", "Busy with a concurrent change",
                "a concurrent change held the same rows; nothing was written, retry the request", path(uri), List.of()))
                .header("Retry-After", "1").build();
    }

    /**
     * A unique key taken by a concurrent request between this one's check and its write (e.g. the template
     * sync inserting the template an operator registers at the same moment): nothing was written; 409,
     * never a 500. Other constraints (a foreign key, a null) are not a caller's conflict and stay a 500.
     */
    @ServerExceptionMapper
    public Response duplicate(org.hibernate.exception.ConstraintViolationException e, UriInfo uri) {
        if (e.getKind() != org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE) {
            LOG.errorf(e, "%s failed on a database constraint", uri == null ? "a request" : uri.getPath());
            return Problems.response(500, "internal", "Internal error", "the request failed; nothing was written",
                    path(uri), List.of());
        }
        return Problems.response(409, "conflict", "Conflict with a concurrent change",
                "another request wrote the same record at the same moment; nothing was written: read the current"
                        + " state and retry if it is still needed", path(uri), List.of());
    }

    /** 404, 405, 406, 415 and the like raised by the framework itself. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return jsonProblem(json, uri);
            }
        }
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "cannot produce the requested media type";
            case 415 -> "unsupported media type; see the API description at /q/openapi";
            default -> title;
        };
        return Problems.response(status, title.toLowerCase(Locale.ROOT).replace(' ', '-'), title, detail, path(uri),
                List.of());
    }

    private static Response jsonProblem(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? jsonPath(mapping) : "";
        String message;
        if (e instanceof JsonParseException) {
            message = "not valid JSON";
        } else if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
            message = cause.getMessage();
        } else if (e instanceof InvalidFormatException format) {
            message = "cannot be read as " + describe(format.getTargetType());
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            message = "expected " + describe(mismatch.getTargetType());
        } else {
            message = "cannot be read";
        }
        if (e.getLocation() != null) {
            message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        String where = field.isEmpty() ? "body" : field;
        return Problems.response(400, "malformed-json", "Malformed JSON", where + ": " + message, path(uri),
                List.of(FieldError.of(where, message)));
    }

    /** {@code recipients[3].phoneNumber} from Jackson's reference chain. */
    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time with offset, e.g. 2030-01-31T09:00:00+05:30";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList();
        }
        return "an object";
    }

    /**
     * "create.body.sendWindow.startHour" becomes "sendWindow.startHour", "list.size" becomes "size", a
     * map value "templateVariables.body.2".
     */
    private static String fieldOf(Path path) {
        List<String> names = new ArrayList<>();
        String parameter = "body";
        for (Path.Node node : path) {
            String name = node.getName();
            if (node.getKind() == jakarta.validation.ElementKind.PARAMETER) {
                parameter = name;
                continue;
            }
            if (node.getKind() == jakarta.validation.ElementKind.METHOD) {
                continue;
            }
            if (node.getIndex() != null && !names.isEmpty()) {
                names.set(names.size() - 1, names.get(names.size() - 1) + "[" + node.getIndex() + "]");
            }
            if (node.getKey() != null && !names.isEmpty()) { // a map entry: templateVariables.body.2
                names.set(names.size() - 1, names.get(names.size() - 1) + "." + node.getKey());
            }
            if (name != null && !name.startsWith("<")) {
                names.add(name);
            }
        }
        // query and path parameters are named by themselves; request bodies are parameters named "body"
        return names.isEmpty() ? parameter : String.join(".", names);
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
