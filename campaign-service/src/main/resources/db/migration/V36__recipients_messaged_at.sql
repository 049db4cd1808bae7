-- "Messaged" as one indexed value (DESIGN §2 Audiences, §11 D38). messaged_at: the time a recipient's job
-- left for the sender (queued_at) while its status says the number was sent a message or may have been
-- (queued … responded), NULL otherwise. phone_digits: the E.164 number without its '+' as an integer
-- (every writer stores numbers normalised to E.164), a key compared as a number where phone_e164 is
-- compared by collation. "Not messaged in N days", the pre-flight plan's numbers reached and a series'
-- spacing read the numbers messaged in a window from (messaged_at, phone_digits) alone, where
-- ix_recipients_queued_at held neither the status nor the number and each entry cost a recipient row.
-- VIRTUAL: nothing stored, no table rebuild. The index entry moves when a job is queued (as the old
-- index's did) and when a messaged recipient fails or is cancelled, not on sent → delivered → read.
ALTER TABLE recipients
    ADD COLUMN messaged_at DATETIME(6) AS (CASE WHEN status IN ('queued', 'sending', 'retry', 'unknown', 'sent',
        'delivered', 'read', 'responded') THEN queued_at END) VIRTUAL,
    ADD COLUMN phone_digits BIGINT UNSIGNED AS (CAST(SUBSTRING(phone_e164, 2) AS UNSIGNED)) VIRTUAL;
ALTER TABLE recipients ADD KEY ix_recipients_messaged (messaged_at, phone_digits), DROP KEY ix_recipients_queued_at;
