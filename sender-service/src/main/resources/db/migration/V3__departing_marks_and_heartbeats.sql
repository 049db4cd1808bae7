-- A claim is no longer permission to call Meta. A job is claimed ('claimed': held by one replica,
-- nothing sent) and, a few milliseconds before its slot, marked as departing ('in_flight': the call
-- may be under way), in small group-committed batches. When a replica dies, only its departing jobs
-- may have reached Meta and become 'unknown'; its claimed ones are taken over by the replica that
-- reads them again and sent once, by that replica. A mark is conditional on the claim, so a replica
-- that was wrongly taken for dead finds its mark refused and does not send.
-- marked_at_ms: when the job was marked departing (its unknown-after-timeout is counted from there).
-- resent_at_ms: when a re-send of an attempt that had ended unknown took the row over (once only).
ALTER TABLE send_ledger
    ADD COLUMN marked_at_ms BIGINT NULL,
    ADD COLUMN resent_at_ms BIGINT NULL;

-- One row per live sender process (its ProcessIdentity), touched every second: a replica whose row is
-- older than the owner timeout, or gone (a clean stop deletes it), is dead to the others.
CREATE TABLE sender_processes (
    owner       VARCHAR(64) NOT NULL,
    seen_at_ms  BIGINT      NOT NULL,
    PRIMARY KEY (owner)
);
