package io.wacast.campaign.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;

import io.wacast.common.problem.Problem;
import io.wacast.common.problem.Problem.FieldError;

/** Builds the {@code application/problem+json} answers of this API. */
final class Problems {

    static Response response(int status, String slug, String title, String detail, String instance,
            List<FieldError> errors) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(slug, title, status, detail, instance, errors))
                .build();
    }

    private Problems() {
    }
}
