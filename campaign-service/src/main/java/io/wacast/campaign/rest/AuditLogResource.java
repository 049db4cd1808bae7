package io.wacast.campaign.rest;

import java.time.Instant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.repository.AuditRepository;
import io.wacast.campaign.repository.AuditRepository.AuditEntry;
import io.wacast.campaign.repository.AuditRepository.AuditQuery;
import io.wacast.campaign.service.ProblemException;

/**
 * The one audit log of wacast (docs/DESIGN.md D21): operator changes to campaigns, contacts, templates,
 * opt-outs and keys made here, and those made in other services (the catalog) that arrived over
 * {@code wacast.audit}; admins only.
 */
@Path("/api/whatsapp/audit-log")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
public class AuditLogResource {

    private final AuditRepository audit;

    AuditLogResource(AuditRepository audit) {
        this.audit = audit;
    }

    @GET
    @Operation(summary = "List audit entries, newest first, optionally by service, actor and time range [since, until)")
    public PageView<AuditEntry> list(@QueryParam("service") String service, @QueryParam("actor") String actor, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        QueryParams.checkPage(page, size);
        AuditQuery query = new AuditQuery(service == null || service.isBlank() ? null : service.strip(), actor == null || actor.isBlank() ? null : actor.strip(),
                instant("since", since), instant("until", until));
        if (query.since() != null && query.until() != null && !query.since().isBefore(query.until())) {
            throw ProblemException.invalidField("until", "must be after since");
        }
        return new PageView<>(audit.page(query, page, size), page, size, audit.count(query));
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant instant = Instant.parse(value.strip());
            if (instant.isBefore(Instant.parse("2000-01-01T00:00:00Z")) || instant.isAfter(Instant.parse("9999-01-01T00:00:00Z"))) {
                throw ProblemException.invalidField(name, "must be between 2000 and 9999");
            }
            return instant;
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalidField(name, "must be an ISO-8601 instant such as 2026-12-05T10:00:00Z");
        }
    }
}
