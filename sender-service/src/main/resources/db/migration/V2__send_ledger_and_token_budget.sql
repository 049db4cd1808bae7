-- One row per campaign message (job id): the attempt the sender holds or last finished, its state
-- and the outcome it published. Times are epoch milliseconds, free of session time zones.
-- state: in_flight (claimed, the call may be under way), answered (outcome recorded; a redelivery
-- republishes it), released (nothing sent, a later dispatch may claim it again: deferred),
-- unknown (the call may have reached Meta; never sent again, settled by the status webhook).
CREATE TABLE send_ledger (
    job_id            VARCHAR(512) NOT NULL,
    campaign_id       BIGINT       NOT NULL,
    attempt           INT          NOT NULL,
    state             VARCHAR(16)  NOT NULL,
    claim_id          BIGINT       NOT NULL,
    owner             VARCHAR(64)  NOT NULL,
    claimed_at_ms     BIGINT       NOT NULL,
    outcome_status    VARCHAR(32)  NULL,
    outcome_json      TEXT         NULL,
    answered_at_ms    BIGINT       NULL,
    -- a scheduled retry waits here until it is due, then any replica re-publishes retry_job
    retry_due_at_ms   BIGINT       NULL,
    retry_job         TEXT         NULL,
    retry_claim       BIGINT       NULL,
    PRIMARY KEY (job_id),
    KEY ix_send_ledger_retry_due (retry_due_at_ms)
);

-- The shared token schedule of one budget (a business number, or a campaign's own rate): the
-- epoch microsecond of the next free slot. Replicas lease consecutive slots with one atomic UPDATE.
CREATE TABLE token_budget (
    budget_key        VARCHAR(100) NOT NULL,
    next_slot_us      BIGINT       NOT NULL,
    PRIMARY KEY (budget_key)
);
