-- The contact book (DESIGN.md §2, "Contacts and consent"). One row per E.164 number; the opt-in is
-- the positive side of consent only: whether a number is opted out is read from opt_outs, the one
-- list of opt-outs (§11 D14), never stored here.
-- Every filter of the contacts API (and of audiences later) is an index lookup: country, opt-in
-- source, creation time here; a tag or an attribute value through the two tables below.
CREATE TABLE contacts (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    phone_e164      VARCHAR(16)   NOT NULL,
    bsuid           VARCHAR(128)  NULL,
    name            VARCHAR(200)  NULL,
    language        VARCHAR(16)   NULL,
    country         CHAR(2)       NULL,
    -- JSON object of string values, the readable copy of contact_attributes (written together)
    attributes      TEXT          NULL,
    -- csv_import, api, whatsapp_reply, web_form, qr, campaign_upload; NULL: no opt-in recorded
    opt_in_source   VARCHAR(16)   NULL,
    opt_in_at       DATETIME(6)   NULL,
    opt_in_evidence VARCHAR(1000) NULL,
    created_at      DATETIME(6)   NOT NULL,
    updated_at      DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_contacts_phone (phone_e164),
    UNIQUE KEY uq_contacts_bsuid (bsuid),
    KEY ix_contacts_country (country, id),
    KEY ix_contacts_opt_in (opt_in_source, id),
    KEY ix_contacts_created (created_at, id)
) ENGINE = InnoDB;

CREATE TABLE tags (
    id         BIGINT      NOT NULL AUTO_INCREMENT,
    name       VARCHAR(64) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_tags_name (name)
) ENGINE = InnoDB;

-- "Contacts with tag X" reads ix_contact_tags_tag; a contact's tags read the primary key.
-- No foreign keys here or on contact_attributes: an import writes a row per tag and attribute, and
-- checking each against its parent cost the 1M-row import time it cannot spare; ContactRepository
-- deletes a contact's rows itself (erasure, replacement).
CREATE TABLE contact_tags (
    contact_id BIGINT NOT NULL,
    tag_id     BIGINT NOT NULL,
    PRIMARY KEY (contact_id, tag_id),
    KEY ix_contact_tags_tag (tag_id, contact_id)
) ENGINE = InnoDB;

-- The attributes again, one row per (contact, name), so "attribute city equals Bali" is an index lookup.
CREATE TABLE contact_attributes (
    contact_id BIGINT       NOT NULL,
    name       VARCHAR(64)  NOT NULL,
    value      VARCHAR(255) NOT NULL,
    PRIMARY KEY (contact_id, name),
    KEY ix_contact_attributes_value (name, value, contact_id)
) ENGINE = InnoDB;

-- Every number uploaded to a campaign before the contact book existed becomes a contact with the
-- opt-in today's uploads record (source campaign_upload, its first campaign as evidence), so a
-- marketing campaign in progress across the upgrade sends exactly as before. Suppressed numbers get
-- no opt-in. The country is filled in on the contact's next upload or update (libphonenumber is not
-- available to SQL).
INSERT INTO contacts (phone_e164, opt_in_source, opt_in_at, opt_in_evidence, created_at, updated_at)
SELECT r.phone_e164,
       CASE WHEN o.id IS NULL THEN 'campaign_upload' END,
       CASE WHEN o.id IS NULL THEN r.first_at END,
       CASE WHEN o.id IS NULL THEN CONCAT('campaign ', r.first_campaign) END,
       r.first_at, r.first_at
FROM (SELECT phone_e164, MIN(campaign_id) AS first_campaign, MIN(created_at) AS first_at
      FROM recipients GROUP BY phone_e164) r
LEFT JOIN opt_outs o ON o.phone_e164 = r.phone_e164;
