-- The pre-flight plan of a 1M-recipient campaign within 1 s (issue 16, DESIGN.md §11 D32). Counting
-- 1M recipients by number prefix, their consent and their variables read every row (4–30 s on a 2-core
-- box); these facts, written by the writers that know them, let the plan read only the few rows that
-- changed since. The plan uses them only while they account for every recipient of the campaign (their
-- sum equals the campaign's counters), and counts by scanning otherwise.

-- What the recipient loader (CSV/JSON uploads) stored: per load and number prefix (LEFT(phone_e164, 5)),
-- how many rows, the template variables every one of them carries a non-blank value of its own for and
-- those at least one of them does (JSON arrays, the same in every row of a load). Every such row had a
-- contact when it was stored (the loader upserts it). Removing a pending recipient appends -1 for its
-- prefix (no keys). Rows are appended, never updated, so
-- uploads and removals never wait on each other here. No foreign key to campaigns (V6: a child insert
-- after the counters are locked would deadlock with the dispatcher); deleting a draft deletes them.
CREATE TABLE loaded_recipients (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    campaign_id    BIGINT       NOT NULL,
    prefix         VARCHAR(5)   NOT NULL,
    recipients     BIGINT       NOT NULL,
    every_row_keys TEXT         NULL,
    some_row_keys  TEXT         NULL,
    PRIMARY KEY (id),
    KEY ix_loaded_recipients_campaign (campaign_id, prefix)
) ENGINE = InnoDB;

-- Recipients of loaded campaigns whose contact an erasure deleted (ContactRepository.erase, the one
-- deleter of contacts): the plan finds loaded recipients without a contact (no marketing opt-in; an
-- erased opt-out matched by hash) among these instead of probing the contacts for every recipient.
CREATE TABLE erased_contact_recipients (
    campaign_id  BIGINT NOT NULL,
    recipient_id BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, recipient_id)
) ENGINE = InnoDB;

-- The plan counts a campaign's recipients whose contact has no opt-in from this index: the contacts
-- without one, then one probe of the campaign's (campaign_id, phone_e164) key each. With the number in
-- it, that needs no read of the contact rows (~190 MB at 1M contacts). The (opt_in_source, id) order the
-- contacts API pages by is kept; the number never changes, so no write touches this index more than before.
ALTER TABLE contacts DROP KEY ix_contacts_opt_in, ADD KEY ix_contacts_opt_in (opt_in_source, id, phone_e164);
