package io.wacast.webhook.rest;

import io.smallrye.mutiny.Uni;
import io.wacast.webhook.service.SubscriptionVerification;
import io.wacast.webhook.service.WebhookIngest;
import io.wacast.webhook.service.WebhookIngest.WebhookReceipt;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Meta's WhatsApp webhook endpoint. The body is taken as raw bytes: the signature covers the exact
 * bytes Meta sent, so nothing may parse or re-encode them before it is checked.
 */
@Path(WhatsAppWebhookResource.PATH)
public class WhatsAppWebhookResource {

    static final String PATH = "/webhooks/whatsapp";
    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    @Inject
    SubscriptionVerification verification;

    @Inject
    WebhookIngest ingest;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Meta's subscription handshake: echoes hub.challenge when hub.verify_token is ours")
    @APIResponse(responseCode = "200", description = "The challenge, as plain text")
    @APIResponse(responseCode = "403", description = "Wrong mode or verify token")
    public String verify(@RestQuery("hub.mode") String mode, @RestQuery("hub.verify_token") String verifyToken,
            @RestQuery("hub.challenge") String challenge) {
        if (!verification.accepts(mode, verifyToken)) {
            throw new ForbiddenException("hub.mode must be 'subscribe' and hub.verify_token must be this service's token");
        }
        if (challenge == null || challenge.isEmpty()) {
            throw new BadRequestException("hub.challenge is missing");
        }
        return challenge;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A signed webhook delivery; answered 200 only after Kafka acknowledged every event of it")
    @APIResponse(responseCode = "200", description = "Published (or already published, or nothing to publish)")
    @APIResponse(responseCode = "400", description = "Correctly signed but not JSON")
    @APIResponse(responseCode = "401", description = "Missing or wrong X-Hub-Signature-256")
    @APIResponse(responseCode = "413", description = "Body above wacast.webhook.max-body-size")
    @APIResponse(responseCode = "503", description = "Kafka unavailable: nothing acknowledged, Meta retries")
    public Uni<WebhookReceipt> receive(@RestHeader(SIGNATURE_HEADER) String signature, byte[] body) {
        return ingest.ingest(body == null ? new byte[0] : body, signature);
    }
}
