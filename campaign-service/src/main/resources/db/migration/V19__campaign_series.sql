-- Recurring campaigns (issue 15): a series repeats on a cron rule read in a named IANA time zone, on
-- an audience, until an end date or a number of occurrences. Each occurrence is a campaign of its own
-- (own recipients, counters, stats), linked here. DESIGN.md §2, "Recurring campaigns"; §11 D19.
CREATE TABLE campaign_series (
    id                   BIGINT        NOT NULL AUTO_INCREMENT,
    name                 VARCHAR(200)  NOT NULL,
    description          VARCHAR(2000) NULL,
    audience_id          BIGINT        NOT NULL,
    template_name        VARCHAR(512)  NOT NULL,
    template_language    VARCHAR(16)   NOT NULL,
    template_variables   TEXT          NOT NULL,
    -- template key -> contact attribute name, as campaign_audiences.variable_map
    variable_map         TEXT          NULL,
    phone_number_id      VARCHAR(32)   NOT NULL,
    rate_limit           INT           NULL,
    -- five-field cron rule (SeriesRule), evaluated in time_zone
    schedule             VARCHAR(200)  NOT NULL,
    time_zone            VARCHAR(64)   NOT NULL,
    starts_at            DATETIME(6)   NOT NULL,
    -- the last local date an occurrence may fall on (inclusive), in time_zone
    ends_on              DATE          NULL,
    max_occurrences      INT           NULL,
    -- an occurrence leaves out contacts an earlier occurrence messaged less than this ago
    min_interval_minutes INT           NOT NULL,
    -- active, paused, ended
    status               VARCHAR(16)   NOT NULL,
    next_occurrence_at   DATETIME(6)   NULL,
    occurrences          INT           NOT NULL DEFAULT 0,
    created_at           DATETIME(6)   NOT NULL,
    updated_at           DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    KEY ix_campaign_series_due (status, next_occurrence_at)
) ENGINE = InnoDB;

-- One row per occurrence that was due. The primary key is the rule "an occurrence starts once": a
-- replica claims it with an INSERT IGNORE and goes on only when its row was the one inserted (a second
-- replica's insert waits for the first's transaction and then finds the key taken).
CREATE TABLE series_occurrences (
    series_id     BIGINT       NOT NULL,
    occurrence_at DATETIME(6)  NOT NULL,
    -- started (campaign_id set) or skipped (reason set)
    outcome       VARCHAR(16)  NOT NULL,
    campaign_id   BIGINT       NULL,
    reason        VARCHAR(500) NULL,
    created_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (series_id, occurrence_at),
    KEY ix_series_occurrences_campaign (campaign_id)
) ENGINE = InnoDB;
