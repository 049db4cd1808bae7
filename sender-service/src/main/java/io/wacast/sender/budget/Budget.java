package io.wacast.sender.budget;

/**
 * The sender engine's port to the shared slot schedules ({@link TokenBudget} on MySQL): one per
 * business number, one per rate-limited campaign, shared by every replica.
 */
public interface Budget {

    /**
     * Leases {@code count} consecutive slots of {@code key}'s schedule, spaced {@code intervalUs}, starting
     * no earlier than {@code nowUs}, unless the schedule is booked more than {@code horizonUs} ahead: then
     * {@link SlotLease#none} with the time it is booked until.
     */
    SlotLease lease(String key, int count, long intervalUs, long latenessUs, long nowUs, long horizonUs);

    /** Nobody gets a slot of {@code key} before {@code untilUs}. */
    void holdUntil(String key, long untilUs);
}
