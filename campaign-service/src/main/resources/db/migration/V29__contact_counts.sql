-- Audience counts within 200 ms on 1M contacts (issue 15, DESIGN.md "Audiences", §11 D28). A count that
-- visits one index entry per matching contact takes seconds at 1M; these rows say how many contacts
-- there are per cell (tag, country, opt-in source), so an audience made only of one tag, countries and
-- consent is a sum over a few rows (the suppressed among them are still counted live from opt_outs).
-- Rows are deltas: every writer of contacts / contact_tags (ContactRepository) appends what its
-- transaction changed, in that transaction, and never updates a row, so writers do not queue on a hot
-- counter; ContactCounts.compact folds each cell's rows into one now and then. A cell's count is the
-- SUM of its rows. tag_id 0: the contacts themselves; country '' and opt_in_source '': none.
CREATE TABLE contact_counts (
    id            BIGINT      NOT NULL AUTO_INCREMENT,
    tag_id        BIGINT      NOT NULL,
    country       CHAR(2)     NOT NULL,
    opt_in_source VARCHAR(16) NOT NULL,
    contacts      BIGINT      NOT NULL,
    PRIMARY KEY (id),
    KEY ix_contact_counts_cell (tag_id, country, opt_in_source, contacts)
) ENGINE = InnoDB;

INSERT INTO contact_counts (tag_id, country, opt_in_source, contacts)
SELECT 0, COALESCE(country, ''), COALESCE(opt_in_source, ''), COUNT(*)
FROM contacts GROUP BY COALESCE(country, ''), COALESCE(opt_in_source, '');

INSERT INTO contact_counts (tag_id, country, opt_in_source, contacts)
SELECT ct.tag_id, COALESCE(c.country, ''), COALESCE(c.opt_in_source, ''), COUNT(*)
FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id
GROUP BY ct.tag_id, COALESCE(c.country, ''), COALESCE(c.opt_in_source, '');

-- The suppressed part of such a count is driven from opt_outs: one probe per suppressed number by hash,
-- answered from this index alone (no read of the wide row for the opt-in and the country). It starts
-- with the hash, so it also serves every look-up of V18's hash index, which goes: one 64-character-key
-- index to maintain on every contact written, not two.
ALTER TABLE contacts DROP KEY ix_contacts_phone_hash, ADD KEY ix_contacts_hash_facts (phone_hash, opt_in_source, country);
