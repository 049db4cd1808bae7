-- Replies, button presses and orders credited to campaigns (issue 16 parts 5 and 6; docs/DESIGN.md §4,
-- "Replies, buttons and orders", §11 D18). Like the other rollups, none of these tables has a foreign
-- key to campaigns or recipients: checking one would lock rows a dispatch round holds.

-- Which campaign messaged which number, and when Meta first accepted that message: how a reply or an
-- order that quotes nothing finds the latest campaign that messaged its number. The number is kept as
-- its SHA-256 (as opt_outs.phone_hash), so this table adds no phone number to the schema.
CREATE TABLE messaged_numbers (
    phone_hash   CHAR(64)    NOT NULL,
    campaign_id  BIGINT      NOT NULL,
    recipient_id BIGINT      NOT NULL,
    sent_at      DATETIME(6) NOT NULL,
    PRIMARY KEY (phone_hash, campaign_id),
    KEY ix_messaged_numbers_sent_at (sent_at)
) ENGINE = InnoDB;

-- One row per inbound message credited to a campaign: its kind, the button payload and when; the text
-- only when wacast.campaign.engagement.store-reply-text is on (a reply is personal data). The primary
-- key (Meta's id of the inbound message) keeps a redelivered message from counting twice.
CREATE TABLE campaign_replies (
    message_id    VARCHAR(191)  NOT NULL,
    campaign_id   BIGINT        NOT NULL,
    recipient_id  BIGINT        NOT NULL,
    kind          VARCHAR(16)   NOT NULL,
    payload       VARCHAR(1024) NULL,
    payload_hash  CHAR(64)      NULL,
    attributed_by VARCHAR(8)    NOT NULL,
    reply_text    TEXT          NULL,
    replied_at    DATETIME(6)   NOT NULL,
    PRIMARY KEY (message_id),
    -- follow-ups to "clicked": the recipients of a campaign who pressed one payload
    KEY ix_campaign_replies_payload (campaign_id, payload_hash, recipient_id)
) ENGINE = InnoDB;

-- One row per order credited to a campaign (the catalog keeps the order itself).
CREATE TABLE campaign_orders (
    message_id    VARCHAR(191) NOT NULL,
    campaign_id   BIGINT       NOT NULL,
    recipient_id  BIGINT       NOT NULL,
    attributed_by VARCHAR(8)   NOT NULL,
    ordered_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (message_id),
    KEY ix_campaign_orders_recipient (recipient_id)
) ENGINE = InnoDB;

-- Counts per campaign, changed in the applier's transaction: replies by kind, presses by button
-- payload, orders, recipients who ordered, revenue by currency (minor units). value_hash is the
-- SHA-256 of value: payloads can be longer than an index key may be.
CREATE TABLE campaign_engagement (
    campaign_id BIGINT        NOT NULL,
    metric      VARCHAR(16)   NOT NULL,
    value_hash  CHAR(64)      NOT NULL,
    value       VARCHAR(1024) NOT NULL,
    amount      BIGINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, metric, value_hash)
) ENGINE = InnoDB;

-- Replies and orders that quote a wamid no recipient has yet (the webhook overtook the sender's
-- outcome): applied in the batch that records that wamid, or forgotten after their window.
CREATE TABLE awaiting_attribution (
    event_id      VARCHAR(64)  NOT NULL,
    context_wamid VARCHAR(191) NOT NULL,
    engagement    MEDIUMTEXT   NOT NULL,
    received_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (event_id),
    KEY ix_awaiting_attribution_wamid (context_wamid),
    KEY ix_awaiting_attribution_received (received_at)
) ENGINE = InnoDB;

-- A follow-up to "clicked" names the button payload it was made of.
ALTER TABLE campaign_follow_ups ADD COLUMN payload VARCHAR(1024) NULL;
