-- A contacts import commits in chunks (§11 D28): an import of 1M rows in one transaction ran past the
-- transaction timeout on a loaded machine and answered 500 after storing nothing. Each import has a row
-- here, updated in the transaction of every chunk it commits, so it says exactly which CSV rows are
-- stored (committed_rows: rows after the header whose outcome is committed) and what the report was
-- at that point; status running, completed or failed (error: why). A row left running with an old
-- updated_at belonged to a service that stopped mid-import. Re-sending the same file is safe: rows are
-- upserted by number, tags added, attributes merged, an opt-in recorded only where none is.
CREATE TABLE contact_imports (
    id             BIGINT        NOT NULL AUTO_INCREMENT,
    status         VARCHAR(16)   NOT NULL,
    actor          VARCHAR(200)  NOT NULL,
    consented      BOOLEAN       NOT NULL,
    committed_rows BIGINT        NOT NULL DEFAULT 0,
    accepted       BIGINT        NOT NULL DEFAULT 0,
    duplicates     BIGINT        NOT NULL DEFAULT 0,
    opted_out      BIGINT        NOT NULL DEFAULT 0,
    rejected_count BIGINT        NOT NULL DEFAULT 0,
    error          VARCHAR(1000) NULL,
    started_at     DATETIME(6)   NOT NULL,
    updated_at     DATETIME(6)   NOT NULL,
    finished_at    DATETIME(6)   NULL,
    PRIMARY KEY (id),
    KEY ix_contact_imports_started (started_at)
) ENGINE = InnoDB;
