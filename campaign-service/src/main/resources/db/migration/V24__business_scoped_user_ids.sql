-- Business-scoped user ids (issue 17 §2, DESIGN.md "Contacts and consent", "Business-scoped user ids").
-- user_ids: the phone number each BSUID belongs to, as status webhooks (and messages that carry both)
-- tell it; a BSUID Meta replaced (user_id_update) points at its successor. Not every BSUID's owner is a
-- contact (an erased contact, a number not in the book), hence a table of its own beside contacts.bsuid.
-- opt_outs.bsuid: an opt-out that named the user by BSUID. Its phone_hash is the SHA-256 of the BSUID
-- itself (never equal to a number's: a number starts with '+'), so the list keeps one unique key per
-- entry; the number it maps to, now or later, gets an entry of its own. One list, one source of truth.
-- Meta's BSUID is a country, '.', optionally 'ENT.', and up to 128 characters: 135 at most.
ALTER TABLE contacts MODIFY bsuid VARCHAR(140) NULL;

CREATE TABLE user_ids (
    bsuid       VARCHAR(140) NOT NULL,
    phone_e164  VARCHAR(16)  NULL,
    phone_hash  CHAR(64)     NULL,
    replaced_by VARCHAR(140) NULL,
    learned_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (bsuid),
    KEY ix_user_ids_phone_hash (phone_hash)
) ENGINE = InnoDB;

ALTER TABLE opt_outs
    ADD COLUMN bsuid VARCHAR(140) NULL,
    ADD UNIQUE KEY uq_opt_outs_bsuid (bsuid);
