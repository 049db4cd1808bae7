-- One key store for every service (docs/DESIGN.md D21): keys may expire, a rotation issues a new key
-- and lets the old one work for a grace period, and who issued or revoked a key is kept.
ALTER TABLE api_keys
    ADD COLUMN expires_at   DATETIME(6)  NULL AFTER created_at,
    ADD COLUMN created_by   VARCHAR(100) NULL AFTER expires_at,
    ADD COLUMN revoked_by   VARCHAR(100) NULL AFTER revoked_at,
    ADD COLUMN rotated_from BIGINT       NULL,
    ADD CONSTRAINT fk_api_keys_rotated_from FOREIGN KEY (rotated_from) REFERENCES api_keys (id);

-- Every change an operator asked for through the API (refused ones too): who, what, when, from where.
-- Never a request body, and phone numbers in paths are masked (docs/DESIGN.md §7). Changes made in
-- other services arrive as AuditEvents on wacast.audit; their event id makes a redelivery harmless.
CREATE TABLE audit_log (
    id             BIGINT        NOT NULL AUTO_INCREMENT,
    event_id       CHAR(36)      NULL,
    service        VARCHAR(32)   NOT NULL,
    at             DATETIME(6)   NOT NULL,
    actor          VARCHAR(100)  NOT NULL,
    actor_key_id   BIGINT        NULL,
    actor_role     VARCHAR(16)   NULL,
    client_address VARCHAR(64)   NOT NULL,
    method         VARCHAR(8)    NOT NULL,
    path           VARCHAR(1000) NOT NULL,
    status         SMALLINT      NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_audit_log_event (event_id),
    KEY ix_audit_log_at (at),
    KEY ix_audit_log_actor_at (actor, at)
) ENGINE = InnoDB;
