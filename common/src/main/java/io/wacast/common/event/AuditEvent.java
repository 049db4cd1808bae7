package io.wacast.common.event;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One change an operator asked of a service's API (refused ones too), published to {@code wacast.audit}
 * by services other than the campaign-service and written by it into the one audit log. Never a
 * request body; phone numbers in {@code path} are masked ({@code AuditedPath}).
 *
 * @param service the service that answered, e.g. {@code catalog-service}
 * @param actor the key's name, {@code anonymous} when no key was accepted
 * @param actorKeyId the key's id; null for the bootstrap key or no key
 * @param clientAddress the operator's address (as a trusted console names it, else the TCP peer)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditEvent(
        String eventId,
        int schemaVersion,
        String service,
        Instant at,
        String actor,
        Long actorKeyId,
        String actorRole,
        String clientAddress,
        String method,
        String path,
        int status) {

    public static final int SCHEMA_VERSION = 1;

    public AuditEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
    }

    public static AuditEvent of(String service, Instant at, String actor, Long actorKeyId, String actorRole,
            String clientAddress, String method, String path, int status) {
        return new AuditEvent(UUID.randomUUID().toString(), SCHEMA_VERSION, service, at, actor, actorKeyId, actorRole,
                clientAddress, method, path, status);
    }
}
