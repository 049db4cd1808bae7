package io.wacast.catalog.client;

import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import io.wacast.common.auth.ClientAddress;

/** campaign-service's {@code GET /api/whatsapp/me}: who the presented key belongs to. */
@Path("/api/whatsapp/me")
interface KeyStoreApi {

    /** The key's owner as campaign-service answers it; extra fields are ignored. */
    record KeyOwner(String name, String role, Long keyId, Instant expiresAt) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    KeyOwner me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(ClientAddress.FORWARDED_FOR) String clientAddress,
            @HeaderParam(ClientAddress.INTERNAL_TOKEN) String internalToken);
}
