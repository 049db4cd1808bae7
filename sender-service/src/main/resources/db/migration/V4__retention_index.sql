-- The retention purge (Retention) deletes settled ledger rows by age, oldest first, in chunks: an
-- index on the claim time makes each chunk a range read instead of a scan of the whole ledger. One
-- more index entry per job on the send path (BENCHMARKS.md, sender-service 2026-12-05).
ALTER TABLE send_ledger
    ADD KEY ix_send_ledger_claimed (claimed_at_ms);
