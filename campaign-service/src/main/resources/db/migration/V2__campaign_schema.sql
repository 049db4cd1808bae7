-- The whole campaign-service schema. Written once for MySQL 8 (production) and MariaDB 10.11
-- (local, CI): AUTO_INCREMENT ids, InnoDB, DATETIME(6) in UTC, JSON kept as TEXT.

-- Approved message templates, mirrored from Meta so campaigns can be checked before sending.
CREATE TABLE templates (
    id            BIGINT       NOT NULL AUTO_INCREMENT,
    name          VARCHAR(512) NOT NULL,
    language      VARCHAR(16)  NOT NULL,
    category      VARCHAR(16)  NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    header_type   VARCHAR(16)  NOT NULL,
    header_text   VARCHAR(256) NULL,
    body          TEXT         NOT NULL,
    footer        VARCHAR(256) NULL,
    buttons       TEXT         NOT NULL,
    created_at    DATETIME(6)  NOT NULL,
    updated_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_templates_name_language (name, language)
) ENGINE = InnoDB;

-- version: optimistic locking of operator edits; control_version: increases with every change
-- published to wacast.campaign-control, so sender replicas can drop stale control messages.
CREATE TABLE campaigns (
    id                 BIGINT        NOT NULL AUTO_INCREMENT,
    name               VARCHAR(200)  NOT NULL,
    description        VARCHAR(2000) NULL,
    template_name      VARCHAR(512)  NOT NULL,
    template_language  VARCHAR(16)   NOT NULL,
    template_variables TEXT          NOT NULL,
    phone_number_id    VARCHAR(32)   NOT NULL,
    rate_limit         INT           NOT NULL,
    window_start_hour  INT           NULL,
    window_end_hour    INT           NULL,
    window_time_zone   VARCHAR(64)   NULL,
    scheduled_for      DATETIME(6)   NULL,
    status             VARCHAR(16)   NOT NULL,
    status_reason      VARCHAR(500)  NULL,
    version            BIGINT        NOT NULL DEFAULT 0,
    control_version    BIGINT        NOT NULL DEFAULT 0,
    created_at         DATETIME(6)   NOT NULL,
    updated_at         DATETIME(6)   NOT NULL,
    started_at         DATETIME(6)   NULL,
    completed_at       DATETIME(6)   NULL,
    PRIMARY KEY (id),
    KEY ix_campaigns_status_scheduled (status, scheduled_for),
    KEY ix_campaigns_created (created_at, id)
) ENGINE = InnoDB;

CREATE TABLE recipients (
    id                 BIGINT       NOT NULL AUTO_INCREMENT,
    campaign_id        BIGINT       NOT NULL,
    phone_e164         VARCHAR(16)  NOT NULL,
    name               VARCHAR(200) NULL,
    variables          TEXT         NULL,
    status             VARCHAR(16)  NOT NULL,
    wamid              VARCHAR(128) NULL,
    last_error_code    INT          NULL,
    last_error_message VARCHAR(500) NULL,
    created_at         DATETIME(6)  NOT NULL,
    updated_at         DATETIME(6)  NOT NULL,
    queued_at          DATETIME(6)  NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_recipients_campaign_phone (campaign_id, phone_e164),
    KEY ix_recipients_campaign_status (campaign_id, status, id),
    KEY ix_recipients_wamid (wamid),
    CONSTRAINT fk_recipients_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- The suppression list: numbers that never receive marketing.
CREATE TABLE opt_outs (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    phone_e164  VARCHAR(16)  NOT NULL,
    source      VARCHAR(16)  NOT NULL,
    reason      VARCHAR(500) NULL,
    created_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_opt_outs_phone (phone_e164)
) ENGINE = InnoDB;

CREATE TABLE api_keys (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    name        VARCHAR(100) NOT NULL,
    key_hash    CHAR(64)     NOT NULL,
    role        VARCHAR(16)  NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    revoked_at  DATETIME(6)  NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_api_keys_hash (key_hash)
) ENGINE = InnoDB;

-- Transactional outbox: messages committed with the state change that caused them, published to
-- Kafka by the relay and deleted only after the broker acknowledged them.
CREATE TABLE outbox (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    topic       VARCHAR(64)  NOT NULL,
    message_key VARCHAR(64)  NOT NULL,
    payload     TEXT         NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB;

-- How many recipients of a campaign are in each status right now: one row per (campaign, status),
-- all created with the campaign, changed in the transaction that changes the recipient rows.
CREATE TABLE campaign_counters (
    campaign_id BIGINT      NOT NULL,
    status      VARCHAR(16) NOT NULL,
    recipients  BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, status),
    CONSTRAINT fk_counters_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- Failures by Meta error code, for the stats error breakdown.
CREATE TABLE campaign_errors (
    campaign_id BIGINT NOT NULL,
    error_code  INT    NOT NULL,
    recipients  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, error_code),
    CONSTRAINT fk_errors_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- Per-minute (UTC) transitions into sent/delivered/read/failed, for charts and the recent failure rate.
CREATE TABLE campaign_timeline (
    campaign_id BIGINT      NOT NULL,
    minute      DATETIME(6) NOT NULL,
    sent        BIGINT      NOT NULL DEFAULT 0,
    delivered   BIGINT      NOT NULL DEFAULT 0,
    read_count  BIGINT      NOT NULL DEFAULT 0,
    failed      BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, minute),
    CONSTRAINT fk_timeline_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- Ids of the outcomes and events already applied: every consumer is idempotent on eventId.
CREATE TABLE processed_events (
    event_id     VARCHAR(64) NOT NULL,
    processed_at DATETIME(6) NOT NULL,
    PRIMARY KEY (event_id),
    KEY ix_processed_events_at (processed_at)
) ENGINE = InnoDB;
