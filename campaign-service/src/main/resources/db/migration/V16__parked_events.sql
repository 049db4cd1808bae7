-- Outcomes and webhook events the applier could not apply after its bounded retries (or could not
-- read): kept with where they came from and why, so the records after them flow on and an admin can
-- list them and replay one once its cause is fixed (docs/DESIGN.md §7).
CREATE TABLE parked_events (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    topic           VARCHAR(249)  NOT NULL,
    kafka_partition INT           NOT NULL,
    kafka_offset    BIGINT        NOT NULL,
    record_key      VARCHAR(255)  NULL,
    event_type      VARCHAR(50)   NULL,
    payload         MEDIUMTEXT    NULL,
    reason          VARCHAR(1000) NOT NULL,
    parked_at       DATETIME(6)   NOT NULL,
    replayed_at     DATETIME(6)   NULL,
    replayed_by     VARCHAR(100)  NULL,
    PRIMARY KEY (id),
    -- a record redelivered after a crash is parked once
    CONSTRAINT uq_parked_event_record UNIQUE (topic, kafka_partition, kafka_offset)
) ENGINE = InnoDB;
