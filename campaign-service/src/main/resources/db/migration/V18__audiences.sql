-- Audiences (issue 15): a saved, named filter over the contact book, and the link of a campaign to the
-- audience it targets. The filter is evaluated only when it is counted or snapshotted into a
-- campaign's recipients (at send, or at a scheduled or recurring start); DESIGN.md §2, "Audiences".
CREATE TABLE audiences (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    name        VARCHAR(200)  NOT NULL,
    description VARCHAR(2000) NULL,
    -- the filter as JSON (AudienceFilter): tags all/any/none, attribute conditions, countries, consent,
    -- recipients of a campaign in some statuses, not messaged in the last N days
    filter      TEXT          NOT NULL,
    version     BIGINT        NOT NULL DEFAULT 0,
    created_at  DATETIME(6)   NOT NULL,
    updated_at  DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_audiences_name (name)
) ENGINE = InnoDB;

-- The audience a campaign targets (at most one; uploaded recipients may be added as well), the
-- template variables taken from contact attributes, and the snapshot's report once it is taken.
-- The link is written while the campaign is a draft or scheduled (no dispatch round holds its row), and
-- goes with the campaign; an audience that campaigns target cannot be deleted (AudienceService checks).
CREATE TABLE campaign_audiences (
    campaign_id        BIGINT      NOT NULL,
    audience_id        BIGINT      NOT NULL,
    -- JSON object template key -> attribute name; a key not named reads the attribute of its own name
    variable_map       TEXT        NULL,
    snapshot_at        DATETIME(6) NULL,
    matched            BIGINT      NULL,
    added              BIGINT      NULL,
    suppressed         BIGINT      NULL,
    no_opt_in          BIGINT      NULL,
    missing_variables  BIGINT      NULL,
    invalid_variables  BIGINT      NULL,
    already_recipients BIGINT      NULL,
    recently_messaged  BIGINT      NULL,
    PRIMARY KEY (campaign_id),
    KEY ix_campaign_audiences_audience (audience_id),
    CONSTRAINT fk_campaign_audiences_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- The hash of the contact's number (SHA-256 hex, as opt_outs.phone_hash), kept by the database, so an
-- audience's suppression check is an index join from the (short) suppression list to the contacts,
-- and matches the opt-outs of erased-then-restored numbers the way dispatch does (§11 D14).
ALTER TABLE contacts
    ADD COLUMN phone_hash CHAR(64) GENERATED ALWAYS AS (SHA2(phone_e164, 256)) STORED,
    ADD KEY ix_contacts_phone_hash (phone_hash);
