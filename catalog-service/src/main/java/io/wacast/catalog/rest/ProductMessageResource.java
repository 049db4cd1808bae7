package io.wacast.catalog.rest;

import io.wacast.catalog.service.Drafts.ProductMessageDraft;
import io.wacast.catalog.service.ProductMessageBuilder;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Builds (does not send) the Graph API body of a single- or multi-product message. */
@Path("/api/whatsapp/product-messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProductMessageResource {

    @Inject
    ProductMessageBuilder builder;

    @POST
    public Map<String, Object> build(@Valid @NotNull ProductMessageDraft draft) {
        return builder.build(draft);
    }
}
