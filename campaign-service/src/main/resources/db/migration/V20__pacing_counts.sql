-- Messages Meta accepted but held by template pacing: the send answer's message_status was
-- held_for_quality_assessment or paused (issue 17 §3). One row per (campaign, message_status), counted
-- once per applied outcome in the applier's transaction (idempotent on the outcome's eventId like every
-- rollup), shown in the campaign's stats as `pacing`. No foreign key, like the other rollups (V6).
CREATE TABLE campaign_pacing (
    campaign_id    BIGINT      NOT NULL,
    message_status VARCHAR(32) NOT NULL,
    messages       BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, message_status)
) ENGINE = InnoDB;
