package io.wacast.sender.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ledger claims this process holds until their answer is recorded (job id → claim id): a second
 * delivery of the job meanwhile is a duplicate, and shutdown waits for them.
 */
final class HeldClaims {

    private final Map<String, Long> claims = new ConcurrentHashMap<>();

    void hold(String jobId, long claimId) {
        claims.put(jobId, claimId);
    }

    /** The claim is answered, or was taken over by another replica. */
    void release(String jobId, long claimId) {
        claims.remove(jobId, claimId);
    }

    /** Whether the claim {@code owner} holds on {@code jobId} is a live one of this very process. */
    boolean isLiveHere(String owner, String jobId, long claimId) {
        return ProcessIdentity.ID.equals(owner) && Long.valueOf(claimId).equals(claims.get(jobId));
    }

    boolean isEmpty() {
        return claims.isEmpty();
    }
}
