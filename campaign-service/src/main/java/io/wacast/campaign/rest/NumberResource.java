package io.wacast.campaign.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.service.AccountSignals;

/** The business numbers and portfolios, as configured and as Meta's webhooks last described them. */
@Path("/api/whatsapp/numbers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Numbers")
public class NumberResource {

    private final AccountSignals signals;

    NumberResource(AccountSignals signals) {
        this.signals = signals;
    }

    @GET
    @Operation(summary = "Business numbers (cap, quality events, flagged, throughput upgrade, limit tier) and"
            + " portfolios (messaging limit, restrictions, ban state)")
    public AccountSignals.Numbers numbers() {
        return signals.numbers();
    }
}
