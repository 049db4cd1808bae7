-- What Meta charges for a campaign's messages (issue 17 §6): the pricing object of status webhooks.
-- campaign_charged_messages holds one row per charged message (wamid), so a message is counted once
-- however often Meta redelivers its statuses and although it prices both sent and delivered;
-- campaign_charges rolls them up per campaign, category and country in the same transaction (the
-- applier's). No foreign keys, like the other rollups (V6). Charged messages are campaign history.
CREATE TABLE campaign_charged_messages (
    wamid         VARCHAR(191) NOT NULL,
    campaign_id   BIGINT       NOT NULL,
    category      VARCHAR(32)  NOT NULL,
    country       CHAR(2)      NOT NULL,
    pricing_model VARCHAR(16)  NULL,
    charged_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (wamid),
    KEY ix_charged_messages_campaign (campaign_id)
) ENGINE = InnoDB;

CREATE TABLE campaign_charges (
    campaign_id BIGINT      NOT NULL,
    category    VARCHAR(32) NOT NULL,
    country     CHAR(2)     NOT NULL,
    messages    BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, category, country)
) ENGINE = InnoDB;
