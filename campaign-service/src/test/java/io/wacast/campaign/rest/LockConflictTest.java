package io.wacast.campaign.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PessimisticLockException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import io.wacast.common.problem.Problem;

/** A deadlock with a concurrent change is a 503 problem the caller may retry, never a 500. */
class LockConflictTest {

    @Test
    void aDeadlockIsA503ProblemWithRetryAfter() {
        Response response = new ProblemMappers().lockConflict(new PessimisticLockException("Deadlock found"), null);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(((Problem) response.getEntity()).detail()).contains("nothing was written").doesNotContain("Deadlock");
    }
}
