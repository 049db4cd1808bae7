-- One outbox row may carry a whole dispatch round: `messages` messages, one per line of `payload`
-- as "<key>\t<value>" (JSON values never contain a raw newline or tab). One row instead of thousands
-- is what lets dispatch keep up with Kafka; a row is still published whole and deleted after the acks.
ALTER TABLE outbox MODIFY payload MEDIUMTEXT NOT NULL;
ALTER TABLE outbox ADD COLUMN messages INT NOT NULL DEFAULT 1;
