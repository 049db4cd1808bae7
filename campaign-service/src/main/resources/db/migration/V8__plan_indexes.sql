-- The pre-flight plan (GET /campaigns/{id}/plan) counts the numbers wacast reached in the last 24 h
-- across all campaigns (Meta's messaging limit), by queued_at: without this index that is a scan of
-- every recipient of every campaign. One index entry written per dispatch of a recipient.
ALTER TABLE recipients ADD KEY ix_recipients_queued_at (queued_at);
