package io.wacast.campaign.domain;

import java.time.Instant;
import java.util.Map;

import io.wacast.common.status.RecipientStatus;

/**
 * One recipient of a campaign. A plain record, not an entity: recipients are loaded, dispatched and
 * updated in batches of thousands with JDBC, where an ORM session would only get in the way.
 *
 * @param variables the recipient's own template values, over the campaign's defaults
 */
public record Recipient(long id, long campaignId, String phone, String name, Map<String, String> variables,
        RecipientStatus status, String wamid, Integer lastErrorCode, String lastErrorMessage, Instant createdAt,
        Instant updatedAt) {
}
