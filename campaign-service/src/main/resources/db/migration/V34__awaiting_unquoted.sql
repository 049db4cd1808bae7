-- An answer that quotes nothing and finds no campaign that messaged its number within the window may
-- have overtaken the sender's outcome of that very send (docs/DESIGN.md §4): it waits here under its
-- number's SHA-256 until a batch records a first send to that number, or the longer window passes.
ALTER TABLE awaiting_attribution
    MODIFY context_wamid VARCHAR(191) NULL,
    ADD COLUMN phone_hash CHAR(64) NULL,
    ADD KEY ix_awaiting_attribution_phone (phone_hash);
