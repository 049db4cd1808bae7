-- Events a consumer could not apply after its bounded retries: kept with where they came from and
-- why, so that the records after them flow on, and an operator can list and replay them.
CREATE TABLE parked_events (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    topic           VARCHAR(249)  NOT NULL,
    kafka_partition INT           NOT NULL,
    kafka_offset    BIGINT        NOT NULL,
    record_key      VARCHAR(255)  NULL,
    payload         MEDIUMTEXT    NULL,
    reason          VARCHAR(1000) NOT NULL,
    parked_at       DATETIME(6)   NOT NULL,
    replayed_at     DATETIME(6)   NULL,
    replayed_by     VARCHAR(100)  NULL,
    PRIMARY KEY (id),
    -- a record redelivered after a crash is parked once
    CONSTRAINT uq_parked_event_record UNIQUE (topic, kafka_partition, kafka_offset)
) ENGINE = InnoDB;
