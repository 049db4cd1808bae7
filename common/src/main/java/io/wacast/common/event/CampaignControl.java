package io.wacast.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.wacast.common.status.CampaignStatus;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * The latest state, rate and send window of a campaign, published by the campaign service to the
 * compacted {@code wacast.campaign-control} (keyed by campaign id) and read by every sender replica.
 *
 * @param rateLimitPerMinute the campaign's own limit; 0 or less means only the number's budget applies
 * @param sendWindow null means any time of day
 * @param version increases with every change of the campaign, so a replica ignores stale messages
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CampaignControl(
        String eventId,
        int schemaVersion,
        long campaignId,
        String phoneNumberId,
        CampaignStatus status,
        int rateLimitPerMinute,
        SendWindow sendWindow,
        long version,
        Instant updatedAt) {

    public static final int SCHEMA_VERSION = 1;

    public CampaignControl {
        Objects.requireNonNull(eventId, "eventId");
    }

    public static CampaignControl of(long campaignId, String phoneNumberId, CampaignStatus status,
            int rateLimitPerMinute, SendWindow sendWindow, long version, Instant updatedAt) {
        return new CampaignControl(UUID.randomUUID().toString(), SCHEMA_VERSION, campaignId, phoneNumberId, status,
                rateLimitPerMinute, sendWindow, version, updatedAt);
    }

    /** Whether this message should replace {@code current}, the one a replica holds (may be null). */
    public boolean supersedes(CampaignControl current) {
        return current == null || version > current.version;
    }

    public boolean allowsSendingAt(Instant instant) {
        return status == CampaignStatus.SENDING && (sendWindow == null || sendWindow.isOpenAt(instant));
    }

    /**
     * The hours of the day, in the campaign's time zone, when messages may go out: from
     * {@code startHour} inclusive to {@code endHour} exclusive. A window may cross midnight (22 to 6);
     * an end of 0 or 24 means midnight; equal hours mean the whole day.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SendWindow(int startHour, int endHour, String timeZone) {

        public SendWindow {
            if (startHour < 0 || startHour > 23) {
                throw new IllegalArgumentException("startHour must be within 0..23: " + startHour);
            }
            if (endHour < 0 || endHour > 24) {
                throw new IllegalArgumentException("endHour must be within 0..24: " + endHour);
            }
            Objects.requireNonNull(timeZone, "timeZone");
            ZoneId.of(timeZone);
        }

        public boolean isOpenAt(Instant instant) {
            int end = endHour % 24;
            if (startHour == end) {
                return true;
            }
            int hour = instant.atZone(ZoneId.of(timeZone)).getHour();
            return startHour < end
                    ? hour >= startHour && hour < end
                    : hour >= startHour || hour < end;
        }

        /** The first instant at or after {@code from} when the window is open. */
        public Instant nextOpening(Instant from) {
            if (isOpenAt(from)) {
                return from;
            }
            ZonedDateTime local = from.atZone(ZoneId.of(timeZone));
            ZonedDateTime opening = local.with(LocalTime.of(startHour, 0));
            if (!opening.isAfter(local)) {
                opening = local.toLocalDate().plusDays(1).atTime(startHour, 0).atZone(local.getZone());
            }
            return opening.toInstant();
        }
    }
}
