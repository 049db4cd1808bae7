-- The applier inserts timeline buckets and error rows inside its batch transaction, after it has
-- locked the batch's counter rows. A foreign key to campaigns makes each such insert take a shared
-- lock on the campaign row, which the dispatcher holds FOR UPDATE while it waits for those same
-- counter rows: a deadlock, which cost the applier a one-second backoff 16 times in a 100k-recipient
-- run (counters up to 3.5 s behind). As with campaign_pause_requests (V5), these rows go without it;
-- deleting a draft deletes its rollups explicitly (StatsRepository.forget).
ALTER TABLE campaign_timeline DROP FOREIGN KEY fk_timeline_campaign;
ALTER TABLE campaign_errors DROP FOREIGN KEY fk_errors_campaign;
