package io.wacast.console.rest;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateInstance;
import io.wacast.console.client.CatalogApi;
import io.wacast.console.client.CatalogApi.Catalog;
import io.wacast.console.client.CatalogApi.Order;
import io.wacast.console.client.CatalogApi.Product;
import io.wacast.console.client.Page;
import io.wacast.console.client.UpstreamException;
import io.wacast.console.view.Banner;

/**
 * Commerce, read-only: catalogs, a catalog's products with stock and price, and orders with the
 * campaign they answered. Catalogs are managed through the catalog API; this page only shows them.
 */
@Path("/commerce")
@Produces(MediaType.TEXT_HTML)
public class CommercePage {

    static final int PAGE_SIZE = 20;
    static final List<String> ORDER_STATUSES = List.of("pending", "confirmed", "paid", "fulfilled", "cancelled");
    private static final String MASK = "•";

    /** A list's query, echoed in pager links. */
    public record Query(String q, String status, boolean flagged, int page) {

        public String params(int toPage) {
            StringBuilder s = new StringBuilder("page=").append(toPage);
            if (q != null) {
                s.append("&q=").append(Links.encode(q));
            }
            if (status != null) {
                s.append("&status=").append(Links.encode(status));
            }
            if (flagged) {
                s.append("&flagged=true");
            }
            return s.toString();
        }

        public boolean isFiltered() {
            return q != null || status != null || flagged;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance catalogs(String nav, Query query, Page<Catalog> page, Banner problem);

        static native TemplateInstance products(String nav, long catalogId, Catalog catalog, Query query,
                Page<Product> page, Banner problem);

        static native TemplateInstance orders(String nav, Query query, List<String> statuses, Page<Order> page,
                Banner problem);
    }

    @RestClient
    CatalogApi catalog;

    @GET
    public Response catalogs(@QueryParam("q") String q, @QueryParam("page") @DefaultValue("0") int page) {
        Query query = new Query(Pages.blankToNull(q), null, false, Math.max(0, page));
        Page<Catalog> found = new Page<>(List.of(), query.page(), PAGE_SIZE, 0);
        try {
            found = catalog.catalogs(query.q(), query.page(), PAGE_SIZE);
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.catalogs("commerce", query, found, banner(e)));
        }
        return Pages.html(200, Templates.catalogs("commerce", query, found, null));
    }

    @GET
    @Path("catalogs/{id}")
    public Response products(@PathParam("id") long id, @QueryParam("q") String q,
            @QueryParam("page") @DefaultValue("0") int page) {
        Query query = new Query(Pages.blankToNull(q), null, false, Math.max(0, page));
        Page<Product> found = new Page<>(List.of(), query.page(), PAGE_SIZE, 0);
        Catalog shown = null;
        try {
            shown = catalog.catalog(id);
            found = catalog.products(id, query.q(), query.page(), PAGE_SIZE);
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.products("commerce", id, shown, query, found, banner(e)));
        }
        return Pages.html(200, Templates.products("commerce", id, shown, query, found, null));
    }

    @GET
    @Path("orders")
    public Response orders(@QueryParam("status") String status, @QueryParam("flagged") boolean flagged,
            @QueryParam("page") @DefaultValue("0") int page) {
        Query query = new Query(null, status != null && ORDER_STATUSES.contains(status) ? status : null, flagged, Math.max(0, page));
        Page<Order> found = new Page<>(List.of(), query.page(), PAGE_SIZE, 0);
        try {
            found = catalog.orders(query.status(), query.flagged() ? Boolean.TRUE : null, query.page(), PAGE_SIZE);
        } catch (UpstreamException | ProcessingException e) {
            return Pages.html(Pages.statusFor(e), Templates.orders("commerce", query, ORDER_STATUSES, found, banner(e)));
        }
        return Pages.html(200, Templates.orders("commerce", query, ORDER_STATUSES, found, null));
    }

    /**
     * An amount in minor units as people read it, with the currency's own decimals: 149900 INR →
     * "₹1,499.00", 1500 JPY → "¥1,500"; a currency without a symbol of its own shows its code.
     * In templates: {@code {commerce:money(p.priceMinor, p.currency)}}.
     */
    @TemplateExtension(namespace = "commerce")
    static String money(Long minor, String currencyCode) {
        if (minor == null) {
            return "—";
        }
        Currency currency = currencyOf(currencyCode);
        if (currency == null || currency.getDefaultFractionDigits() < 0) {
            return NumberFormat.getIntegerInstance(Locale.US).format(minor) + (currencyCode == null ? "" : " " + currencyCode);
        }
        int digits = currency.getDefaultFractionDigits();
        BigDecimal amount = BigDecimal.valueOf(minor, digits);
        String symbol = currency.getSymbol(Locale.US);
        if (symbol.equals(currency.getCurrencyCode())) {
            DecimalFormat plain = (DecimalFormat) NumberFormat.getNumberInstance(Locale.US);
            plain.setMinimumFractionDigits(digits);
            plain.setMaximumFractionDigits(digits);
            return (minor < 0 ? "-" : "") + symbol + " " + plain.format(amount.abs());
        }
        DecimalFormat withSymbol = (DecimalFormat) NumberFormat.getCurrencyInstance(Locale.US);
        withSymbol.setCurrency(currency);
        withSymbol.setMinimumFractionDigits(digits);
        withSymbol.setMaximumFractionDigits(digits);
        return withSymbol.format(amount);
    }

    /**
     * A customer's number with only its country code and last four digits: "+919812344321" →
     * "+91••••••4321". Anything too short to mask that way is masked whole.
     * In templates: {@code {commerce:masked(o.customerPhone)}}.
     */
    @TemplateExtension(namespace = "commerce")
    static String masked(String phone) {
        if (phone == null || phone.isBlank()) {
            return "—";
        }
        String digits = phone.replaceAll("\\D", "");
        String country = "";
        if (phone.strip().startsWith("+")) {
            try {
                country = String.valueOf(PhoneNumberUtil.getInstance().parse(phone, "ZZ").getCountryCode());
            } catch (NumberParseException unparsable) {
                country = "";
            }
        }
        int hidden = digits.length() - country.length() - 4;
        if (hidden < 3) {
            return MASK.repeat(Math.max(4, digits.length()));
        }
        return (country.isEmpty() ? "" : "+" + country) + MASK.repeat(hidden) + digits.substring(digits.length() - 4);
    }

    /** The catalog-service has its own key store: a key it does not know is worth saying plainly. */
    static Banner banner(RuntimeException e) {
        if (e instanceof UpstreamException u && u.status() == 401) {
            return new Banner("This key is not known to the catalog service.",
                    "Sign in with a key issued there or the bootstrap key; the rest of the console keeps working.");
        }
        return Banner.of(e, "The catalog service");
    }

    private static Currency currencyOf(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        try {
            return Currency.getInstance(code.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

}
