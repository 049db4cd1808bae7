-- The applier (wacast.outcomes / wacast.events) and the stats API.
-- attempts: recipients whose send attempt settled in that minute (first accepted by Meta, or failed
-- without ever being accepted), the denominator of the recent failure rate that auto-pauses a campaign.
ALTER TABLE campaign_timeline ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
