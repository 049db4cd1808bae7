-- The safety net for recipients whose attempt ended `unknown` (UnknownResend): such a recipient is
-- re-sent once when no webhook settled it but webhooks for messages queued with or after it arrived,
-- or kept unknown for good when none did. resend_state: NULL while undecided, 'resent' or 'kept';
-- resend_decided_at: when that was decided (a deferral of the re-send from then on makes it undecided
-- again). The status stays `unknown` either way: statuses only move forward, the re-send's outcome
-- moves it on.
-- Two statements: nullable columns are added in place without copying the table (MySQL 8 INSTANT,
-- MariaDB 10.11), which a statement that also adds an index would forgo.
ALTER TABLE recipients
    ADD COLUMN resend_state      VARCHAR(16) NULL,
    ADD COLUMN resend_decided_at DATETIME(6) NULL;
-- The stats count the decided rows of a campaign by state, and completion looks for undecided ones
-- among its unknown recipients (ix_recipients_campaign_status): both index lookups, never a scan.
ALTER TABLE recipients ADD KEY ix_recipients_campaign_resend (campaign_id, resend_state);
