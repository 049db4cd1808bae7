-- Business numbers and portfolios as Meta's webhooks describe them (GET /api/whatsapp/numbers).
-- A number is known by its display number (phone_number_quality_update names no phone-number id);
-- phone_number_id is filled from wacast.campaign.signals.display-numbers when configured.
CREATE TABLE whatsapp_numbers (
    display_phone_number VARCHAR(20)  NOT NULL,
    phone_number_id      VARCHAR(64)  NULL,
    waba_id              VARCHAR(64)  NULL,
    last_event           VARCHAR(32)  NOT NULL,
    flagged              BOOLEAN      NOT NULL DEFAULT FALSE,
    throughput_upgraded  BOOLEAN      NOT NULL DEFAULT FALSE,
    current_limit        VARCHAR(20)  NULL,
    event_at             DATETIME(6)  NULL,
    updated_at           DATETIME(6)  NOT NULL,
    PRIMARY KEY (display_phone_number)
) ENGINE = InnoDB;

-- messaging_limit: unique users per moving 24 h (-1 unlimited); restrictions: JSON array of
-- {type, expiration} from the last account_update restriction (empty: none); ban_state: the
-- waba_ban_state of the last DISABLED_UPDATE; blocked: business-initiated messaging is stopped.
CREATE TABLE business_portfolios (
    waba_id            VARCHAR(64)   NOT NULL,
    messaging_limit    BIGINT        NULL,
    limit_at           DATETIME(6)   NULL,
    restrictions       VARCHAR(4000) NOT NULL DEFAULT '[]',
    ban_state          VARCHAR(32)   NULL,
    blocked            BOOLEAN       NOT NULL DEFAULT FALSE,
    blocked_reason     VARCHAR(500)  NULL,
    account_at         DATETIME(6)   NULL,
    updated_at         DATETIME(6)   NOT NULL,
    PRIMARY KEY (waba_id)
) ENGINE = InnoDB;
