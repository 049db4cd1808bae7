-- Campaign pauses the applier decided on (Meta policy errors, account stops): written in the
-- transaction of the batch that calls for them, deleted in the transaction that pauses the campaign.
-- A crash or a failed pause in between only delays the pause; the batch's events, already recorded as
-- processed, would never call for it again. No foreign key: checking it would take a shared lock on
-- the campaign row inside the batch, which the dispatcher holds while it waits for counter rows.
CREATE TABLE campaign_pause_requests (
    campaign_id  BIGINT       NOT NULL,
    account_stop BOOLEAN      NOT NULL,
    reason       VARCHAR(500) NOT NULL,
    requested_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (campaign_id, account_stop)
) ENGINE = InnoDB;
