package io.wacast.console.client;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.wacast.common.problem.Problem;

/** Turns an upstream's error answer into an {@link UpstreamException} the pages can show. */
final class Upstreams {

    static UpstreamException problem(Response response) {
        int status = response.getStatus();
        Problem problem = null;
        MediaType type = response.getMediaType();
        if (type != null && type.getSubtype().endsWith("json")) {
            try {
                problem = response.readEntity(Problem.class);
            } catch (RuntimeException notAProblem) {
                problem = null;
            }
        }
        if (problem == null || problem.title() == null) {
            String title = Response.Status.fromStatusCode(status) == null ? "HTTP " + status
                    : Response.Status.fromStatusCode(status).getReasonPhrase();
            problem = Problem.of("upstream", title, status, "the service answered " + status + " " + title, null, null);
        }
        return new UpstreamException(status, problem);
    }

    private Upstreams() {
    }
}
