-- Orders credited to campaigns (issue 16 part 6, docs/DESIGN.md §11 D18): the campaign-service
-- attributes each order and publishes an OrderAttribution on wacast.attributions; the catalog sets
-- the order's campaign and recipient from it, whichever of the two records arrives first.
ALTER TABLE customer_order
    ADD COLUMN recipient_id  BIGINT     NULL AFTER campaign_id,
    ADD COLUMN attributed_by VARCHAR(8) NULL AFTER recipient_id;

-- Every attribution received, by the order message it is about: an order that arrives after its
-- attribution finds it here (read with a lock after the order's insert, so neither side can miss the
-- other), and a redelivered attribution changes nothing.
CREATE TABLE order_attribution (
    message_id    VARCHAR(255) NOT NULL,
    event_id      VARCHAR(64)  NOT NULL,
    campaign_id   BIGINT       NOT NULL,
    recipient_id  BIGINT       NOT NULL,
    attributed_by VARCHAR(8)   NOT NULL,
    received_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (message_id)
) ENGINE = InnoDB;
