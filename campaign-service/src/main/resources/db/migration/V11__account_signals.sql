-- What Meta's account-level webhooks tell about templates (AccountSignal, docs/DESIGN.md §3).
-- status_at / quality_at / category_at: Meta's time of the change last applied; an older signal
-- (redelivered or out of order) never overwrites a newer one.
-- upcoming_category: an impending category change Meta announced (applied only when it completes).
ALTER TABLE templates
    ADD COLUMN meta_template_id     VARCHAR(64)  NULL,
    ADD COLUMN status_reason        VARCHAR(500) NULL,
    ADD COLUMN status_at            DATETIME(6)  NULL,
    ADD COLUMN quality              VARCHAR(16)  NULL,
    ADD COLUMN quality_at           DATETIME(6)  NULL,
    ADD COLUMN category_at          DATETIME(6)  NULL,
    ADD COLUMN upcoming_category    VARCHAR(16)  NULL,
    ADD COLUMN upcoming_category_at DATETIME(6)  NULL;
