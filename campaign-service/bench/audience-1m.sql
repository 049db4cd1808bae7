-- 1,000,000 contacts for the audience benchmarks (BENCHMARKS.md, "Audiences"). MariaDB only (the
-- Sequence engine's seq_1_to_1000000). Numbers +9196NNNNNNNN; every contact has the tag bench and one
-- of bench-t0 … bench-t9 (last digit), the attributes city (5 values) and first_name; 90 % have a
-- recorded opt-in (web_form or csv_import); 10,000 are on the suppression list (every 100th).
INSERT INTO tags (name, created_at) SELECT CONCAT('bench-t', seq), NOW(6) FROM seq_0_to_9
    ON DUPLICATE KEY UPDATE name = name;
INSERT INTO tags (name, created_at) VALUES ('bench', NOW(6)) ON DUPLICATE KEY UPDATE name = name;

INSERT INTO contacts (phone_e164, name, language, country, attributes, opt_in_source, opt_in_at, opt_in_evidence,
                      created_at, updated_at)
SELECT CONCAT('+9196', LPAD(seq, 8, '0')), CONCAT('Name ', seq), 'en', 'IN',
       CONCAT('{"city":"', ELT(1 + seq % 5, 'Bali', 'Goa', 'Delhi', 'Pune', 'Jaipur'), '","first_name":"N', seq, '"}'),
       CASE WHEN seq % 10 = 0 THEN NULL WHEN seq % 3 = 0 THEN 'csv_import' ELSE 'web_form' END,
       CASE WHEN seq % 10 = 0 THEN NULL ELSE NOW(6) END,
       CASE WHEN seq % 10 = 0 THEN NULL ELSE 'bench' END,
       NOW(6), NOW(6)
FROM seq_1_to_1000000;

INSERT INTO contact_tags (contact_id, tag_id)
SELECT c.id, t.id FROM contacts c JOIN tags t ON t.name = 'bench' WHERE c.phone_e164 LIKE '+9196%';
INSERT INTO contact_tags (contact_id, tag_id)
SELECT c.id, t.id FROM contacts c JOIN tags t ON t.name = CONCAT('bench-t', RIGHT(c.phone_e164, 1))
WHERE c.phone_e164 LIKE '+9196%';
-- attribute rows carry their contact's opt-in source and country (V35)
INSERT INTO contact_attributes (contact_id, name, value, opt_in_source, country)
SELECT c.id, 'city', JSON_UNQUOTE(JSON_EXTRACT(c.attributes, '$.city')), c.opt_in_source, c.country FROM contacts c
WHERE c.phone_e164 LIKE '+9196%';
INSERT INTO contact_attributes (contact_id, name, value, opt_in_source, country)
SELECT c.id, 'first_name', JSON_UNQUOTE(JSON_EXTRACT(c.attributes, '$.first_name')), c.opt_in_source, c.country FROM contacts c
WHERE c.phone_e164 LIKE '+9196%';

INSERT INTO opt_outs (phone_e164, phone_hash, source, reason, created_at)
SELECT CONCAT('+9196', LPAD(seq * 100, 8, '0')), SHA2(CONCAT('+9196', LPAD(seq * 100, 8, '0')), 256), 'operator', 'bench', NOW(6)
FROM seq_1_to_10000
ON DUPLICATE KEY UPDATE reason = reason;
ANALYZE TABLE contacts, contact_tags, contact_attributes, opt_outs;
-- The seed writes around the service, so it rebuilds the kept per-cell counts (V29, §11 D28) as V29 does.
DELETE FROM contact_counts;
INSERT INTO contact_counts (tag_id, country, opt_in_source, contacts)
SELECT 0, COALESCE(country, ''), COALESCE(opt_in_source, ''), COUNT(*)
FROM contacts GROUP BY COALESCE(country, ''), COALESCE(opt_in_source, '');
INSERT INTO contact_counts (tag_id, country, opt_in_source, contacts)
SELECT ct.tag_id, COALESCE(c.country, ''), COALESCE(c.opt_in_source, ''), COUNT(*)
FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id
GROUP BY ct.tag_id, COALESCE(c.country, ''), COALESCE(c.opt_in_source, '');
