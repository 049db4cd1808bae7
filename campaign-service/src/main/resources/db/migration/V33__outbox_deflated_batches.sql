-- A dispatch round's batch row carries its "<key>\t<value>" lines deflated in `batch` instead of as
-- text in `payload` (now NULL for such rows): the JSON of a round's jobs shrinks about tenfold, so
-- the client no longer escapes every character of a ~500 kB string literal and MariaDB parses,
-- logs, undoes and purges a tenth of the bytes (BENCHMARKS.md, "Dispatch"). Rows written as text
-- before this change are still read.
ALTER TABLE outbox MODIFY payload MEDIUMTEXT NULL, ADD COLUMN batch MEDIUMBLOB NULL;
