-- Follow-ups (issue 16 part 2): a draft campaign made of another campaign's recipients in one outcome
-- (failed with a retryable reason, not delivered, delivered but not read, read but not answered,
-- responded). Neither table has a foreign key to the source campaign: checking it would lock the
-- source row, which a dispatch round of a sending source holds FOR UPDATE. Only drafts can be
-- deleted and a draft never has follow-ups, so a source never disappears under its follow-ups.

-- The follow-up campaign, its source and the outcome it was made of.
CREATE TABLE campaign_follow_ups (
    campaign_id        BIGINT      NOT NULL,
    source_campaign_id BIGINT      NOT NULL,
    outcome            VARCHAR(32) NOT NULL,
    after_hours        INT         NULL,
    created_at         DATETIME(6) NOT NULL,
    PRIMARY KEY (campaign_id),
    KEY ix_campaign_follow_ups_source (source_campaign_id, campaign_id),
    CONSTRAINT fk_campaign_follow_ups_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- Which follow-up took each source recipient, per outcome: the primary key is the rule "a recipient is
-- never put into two follow-ups of the same source for the same outcome", held by the database even
-- when two follow-ups are created at the same moment. Deleting a draft follow-up frees its recipients.
CREATE TABLE follow_up_recipients (
    source_campaign_id  BIGINT      NOT NULL,
    outcome             VARCHAR(32) NOT NULL,
    source_recipient_id BIGINT      NOT NULL,
    campaign_id         BIGINT      NOT NULL,
    PRIMARY KEY (source_campaign_id, outcome, source_recipient_id),
    KEY ix_follow_up_recipients_campaign (campaign_id),
    CONSTRAINT fk_follow_up_recipients_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE CASCADE
) ENGINE = InnoDB;
