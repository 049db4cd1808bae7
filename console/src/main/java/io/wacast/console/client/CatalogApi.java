package io.wacast.console.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * The catalog-service's operator API ({@code /api/whatsapp}), read-only as the console uses it. Every
 * call carries the signed-in operator's key; the catalog-service keeps its own key store, so a key
 * issued by the campaign-service may be unknown here (401) while the rest of the console works.
 */
@RegisterRestClient(configKey = "catalog")
@RegisterClientHeaders(OperatorHeaders.class)
@Path("/api/whatsapp")
@Produces(MediaType.APPLICATION_JSON)
public interface CatalogApi {

    record Audit(Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {
    }

    record Catalog(long id, String name, String metaCatalogId, String description, Audit audit) {
    }

    record Variant(long id, String retailerId, String name, long priceMinor, String currency,
            Map<String, String> attributes, int stock, int reserved, int available) {
    }

    record Product(long id, long catalogId, String retailerId, String name, String description, long priceMinor,
            String currency, String imageUrl, String availability, int stock, int reserved, int available,
            List<Variant> variants, Audit audit) {
    }

    record OrderItem(long id, String retailerId, Long productId, Long variantId, String name, int quantity,
            Long unitPriceMinor, String currency, Set<String> flags) {
    }

    /** @param campaignId the campaign whose message the order answered, when the service could tell */
    record Order(long id, Long catalogId, String metaCatalogId, String customerPhone, String status, String source,
            Long campaignId, Long totalMinor, String currency, boolean flagged, Set<String> flags, String note,
            List<OrderItem> items, Audit audit) {

        /** Units ordered over all lines. */
        public int itemCount() {
            return items == null ? 0 : items.stream().mapToInt(OrderItem::quantity).sum();
        }

        public Instant createdAt() {
            return audit == null ? null : audit.createdAt();
        }
    }

    @GET
    @Path("/catalogs")
    Page<Catalog> catalogs(@QueryParam("q") String q, @QueryParam("page") int page, @QueryParam("size") int size);

    @GET
    @Path("/catalogs/{id}")
    Catalog catalog(@PathParam("id") long id);

    @GET
    @Path("/products")
    Page<Product> products(@QueryParam("catalogId") long catalogId, @QueryParam("q") String q,
            @QueryParam("page") int page, @QueryParam("size") int size);

    @GET
    @Path("/orders")
    Page<Order> orders(@QueryParam("status") String status, @QueryParam("flagged") Boolean flagged,
            @QueryParam("page") int page, @QueryParam("size") int size);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return response.getStatus() >= 400 ? Upstreams.problem(response) : null;
    }
}
