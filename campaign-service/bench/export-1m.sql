-- The 1M-recipient campaign of the export benchmark (BENCHMARKS.md, campaign-service): a completed
-- campaign, five statuses, 200,000 failed with 131026. mariadb … wacast_campaign < export-1m.sql
INSERT INTO campaigns (name, template_name, template_language, template_variables, phone_number_id, rate_limit, status,
  created_at, updated_at, started_at, completed_at)
VALUES ('bench export 1M', 'bench_export', 'en_US', '{}', '100000000000001', 4800, 'completed', NOW(6), NOW(6), NOW(6), NOW(6));
SET @c = LAST_INSERT_ID();
INSERT INTO recipients (campaign_id, phone_e164, name, variables, status, wamid, last_error_code, last_error_message,
  created_at, updated_at, queued_at)
SELECT @c, CONCAT('+9197', LPAD(seq, 8, '0')), CONCAT('Name ', seq), CONCAT('{"body.1":"R', seq, '"}'),
  ELT(1 + seq % 5, 'delivered', 'read', 'failed', 'sent', 'responded'),
  IF(seq % 5 = 2, NULL, CONCAT('wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgS', seq)),
  IF(seq % 5 = 2, 131026, NULL), IF(seq % 5 = 2, 'Message undeliverable', NULL),
  NOW(6) - INTERVAL 1 HOUR, NOW(6) - INTERVAL 10 MINUTE, NOW(6) - INTERVAL 50 MINUTE
FROM seq_1_to_1000000;
INSERT INTO campaign_counters (campaign_id, status, recipients)
SELECT @c, status, COUNT(*) FROM recipients WHERE campaign_id = @c GROUP BY status;
SELECT @c;
