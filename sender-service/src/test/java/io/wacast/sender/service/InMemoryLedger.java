package io.wacast.sender.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.wacast.sender.ledger.ClaimResult;
import io.wacast.sender.ledger.Ledger;
import io.wacast.sender.ledger.LedgerState;

/**
 * The ledger's rules that the stages rely on, in memory: a new job is claimed, an answered one is
 * republished, a held one is held elsewhere; a departing mark and an answer land only while their
 * claim still holds the row.
 */
final class InMemoryLedger implements Ledger {

    static final class Row {
        volatile LedgerState state;
        volatile long claimId;
        volatile String owner;
        volatile String outcomeJson;
        final AtomicInteger answersRecorded = new AtomicInteger();
    }

    final Map<String, Row> rows = new ConcurrentHashMap<>();
    /** How many of the next {@link #record} calls fail as an unreachable database would. */
    final AtomicInteger failingRecords = new AtomicInteger();
    final AtomicInteger recordCalls = new AtomicInteger();
    private final AtomicLong claimIds = new AtomicLong(100);

    /** Another replica took this one for dead and took the claim over. */
    void takeOver(String jobId, String otherReplica) {
        Row row = rows.get(jobId);
        row.claimId = claimIds.incrementAndGet();
        row.owner = otherReplica;
        row.state = LedgerState.CLAIMED;
    }

    void answered(String jobId, String outcomeJson) {
        Row row = new Row();
        row.state = LedgerState.ANSWERED;
        row.outcomeJson = outcomeJson;
        rows.put(jobId, row);
    }

    @Override
    public synchronized List<ClaimResult> claim(List<ClaimRequest> requests, String owner, long nowMs, long deadBeforeMs) {
        List<ClaimResult> results = new ArrayList<>();
        for (ClaimRequest request : requests) {
            Row row = rows.get(request.jobId());
            if (row == null) {
                row = new Row();
                row.state = LedgerState.CLAIMED;
                row.claimId = claimIds.incrementAndGet();
                row.owner = owner;
                rows.put(request.jobId(), row);
                results.add(new ClaimResult.Claimed(request.jobId(), row.claimId));
            } else if (row.state == LedgerState.ANSWERED || row.state == LedgerState.UNKNOWN) {
                results.add(new ClaimResult.Recorded(request.jobId(), row.outcomeJson));
            } else {
                results.add(new ClaimResult.HeldElsewhere(request.jobId(), row.claimId, row.owner, row.state, nowMs));
            }
        }
        return results;
    }

    @Override
    public synchronized Set<Departure> markDeparting(List<Departure> departures, long nowMs) {
        Set<Departure> refused = new HashSet<>();
        for (Departure departure : departures) {
            Row row = rows.get(departure.jobId());
            if (row != null && row.claimId == departure.claimId() && row.state == LedgerState.CLAIMED) {
                row.state = LedgerState.IN_FLIGHT;
            } else {
                refused.add(departure);
            }
        }
        return refused;
    }

    @Override
    public synchronized List<String> record(List<Answer> answers, long nowMs) {
        recordCalls.incrementAndGet();
        if (failingRecords.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new LedgerException("connection refused");
        }
        List<String> lost = new ArrayList<>();
        for (Answer answer : answers) {
            Row row = rows.get(answer.jobId());
            if (row != null && row.claimId == answer.claimId()) {
                row.state = answer.state();
                row.outcomeJson = answer.outcomeJson();
                row.answersRecorded.incrementAndGet();
            } else {
                lost.add(answer.jobId());
            }
        }
        return lost;
    }

    @Override
    public boolean markUnknown(String jobId, long claimId, String outcomeJson, long nowMs) {
        return false;
    }

    @Override
    public List<DueRetry> leaseDueRetries(long nowMs, int limit, long leaseMs) {
        return List.of();
    }

    @Override
    public void retryPublished(DueRetry retry) {
    }

    @Override
    public void heartbeat(String owner, long nowMs) {
    }

    @Override
    public void leave(String owner, long forgetBeforeMs) {
    }
}
