-- Consent history (issue 15): every change of a number's consent, so an operator can prove when and how
-- someone opted in and out. contacts.opt_in_* and opt_outs stay the current state (§11 D14); this is
-- their log, written in the same transaction as each change (ConsentHistoryRepository). Keyed by the
-- number's hash like opt_outs, so it follows the number across erasure and re-creation; erasure empties
-- the evidence (free text that may name the person), keeping status, source, time and actor. DESIGN.md §11 D23.
CREATE TABLE consent_history (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    phone_hash  CHAR(64)      NOT NULL,
    -- opted_in (an opt-in recorded), none (a recorded opt-in cleared), opted_out (put on the suppression
    -- list), opt_out_lifted (taken off it)
    status      VARCHAR(16)   NOT NULL,
    -- the opt-in's source (csv_import, api, whatsapp_reply, web_form, qr, campaign_upload) or the
    -- opt-out's (operator, user, meta, …)
    source      VARCHAR(32)   NULL,
    evidence    VARCHAR(1000) NULL,
    -- who made the change: "api key '<name>'" for a request, "whatsapp" for a webhook (the user's own
    -- STOP/START, Meta's refusal)
    actor       VARCHAR(200)  NOT NULL,
    occurred_at DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    KEY ix_consent_history_hash (phone_hash, id)
) ENGINE = InnoDB;
