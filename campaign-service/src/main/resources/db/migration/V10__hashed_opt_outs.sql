-- Erasing a contact keeps the fact that its number opted out, without the number: every opt-out
-- carries the SHA-256 (hex) of its E.164 number, the send-time check reads the hash, and erasure
-- empties phone_e164 and reason (DESIGN.md §11 D14). A unique key on a nullable column admits any
-- number of NULLs on MySQL 8 and MariaDB alike.
ALTER TABLE opt_outs ADD COLUMN phone_hash CHAR(64) NULL;
UPDATE opt_outs SET phone_hash = SHA2(phone_e164, 256);
ALTER TABLE opt_outs
    MODIFY phone_hash CHAR(64) NOT NULL,
    MODIFY phone_e164 VARCHAR(16) NULL,
    ADD UNIQUE KEY uq_opt_outs_hash (phone_hash);
