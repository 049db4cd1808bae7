-- Orders from users known only by their business-scoped user id (issue 17 §2, docs/DESIGN.md §4
-- "Business-scoped user ids"): a WhatsApp username user may order without ever sharing a number, so an
-- order names its customer by number, by BSUID, or both; one of them is always there.
ALTER TABLE customer_order
    MODIFY COLUMN customer_phone VARCHAR(20) NULL,
    ADD COLUMN customer_user_id VARCHAR(135) NULL AFTER customer_phone,
    ADD CONSTRAINT ck_order_customer CHECK (customer_phone IS NOT NULL OR customer_user_id IS NOT NULL);

CREATE INDEX ix_order_customer_user ON customer_order (customer_user_id);
