package io.wacast.catalog.service;

import io.wacast.common.text.SingleLine;
import io.wacast.common.text.FreeText;
import io.wacast.catalog.domain.Availability;
import io.wacast.catalog.domain.OrderStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * What operators send to the API, validated before any service method runs. One place for every
 * input shape, so that the limits (lengths, non-negative money, positive quantities) are read together.
 */
public final class Drafts {

    private static final String RETAILER_ID = "[^\\s,][^,]*";

    /**
     * The largest price in minor units: 10^12 (ten billion rupees, dollars or euros; a trillion yen).
     * With at most 100,000 units a line, a line's total stays far inside a long; an order total that
     * would still overflow one is refused (422 {@code total-too-large}).
     */
    public static final long MAX_PRICE_MINOR = 1_000_000_000_000L;

    public record CatalogDraft(
            @NotBlank @Size(max = 200) @SingleLine String name,
            @Size(max = 64) @Pattern(regexp = "[0-9A-Za-z_-]+", message = "Meta catalog ids are digits") String metaCatalogId,
            @Size(max = 2000) @FreeText String description) {
    }

    public record VariantDraft(
            @NotBlank @Size(max = 100) @SingleLine @Pattern(regexp = RETAILER_ID, message = "must not contain commas or start with a space") String retailerId,
            @NotBlank @Size(max = 200) @SingleLine String name,
            @NotNull @PositiveOrZero @Max(MAX_PRICE_MINOR) Long priceMinor,
            @NotNull @CurrencyCode String currency,
            @Size(max = 20) Map<@NotBlank @Size(max = 50) @SingleLine String, @NotNull @Size(max = 200) @SingleLine String> attributes,
            @PositiveOrZero @Max(1_000_000_000) Integer stock) {
    }

    /** A product; on update {@code catalogId} and {@code variants} are ignored (variants have their own endpoints). */
    public record ProductDraft(
            Long catalogId,
            @NotBlank @Size(max = 100) @SingleLine @Pattern(regexp = RETAILER_ID, message = "must not contain commas or start with a space") String retailerId,
            @NotBlank @Size(max = 200) @SingleLine String name,
            @Size(max = 5000) @FreeText String description,
            @NotNull @PositiveOrZero @Max(MAX_PRICE_MINOR) Long priceMinor,
            @NotNull @CurrencyCode String currency,
            @Size(max = 2000) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String imageUrl,
            Availability availability,
            @PositiveOrZero @Max(1_000_000_000) Integer stock,
            @Size(max = 100) List<@Valid @NotNull VariantDraft> variants) {
    }

    public record CartDraft(@NotBlank @Size(max = 32) String customerPhone, @NotNull Long catalogId) {
    }

    public record OrderLine(
            @NotBlank @Size(max = 100) @SingleLine String retailerId,
            @NotNull @Positive @Max(100_000) Integer quantity) {
    }

    public record QuantityChange(@NotNull @Positive @Max(100_000) Integer quantity) {
    }

    public record OrderDraft(
            @NotBlank @Size(max = 32) String customerPhone,
            @NotNull Long catalogId,
            @NotEmpty @Size(max = 100) List<@Valid @NotNull OrderLine> items,
            @Size(max = 2000) @FreeText String note) {
    }

    public record StatusChange(@NotNull OrderStatus status) {
    }

    public record ProductSection(
            @Size(max = 200) @SingleLine String title,
            @NotEmpty @Size(max = 100) List<@NotBlank @Size(max = 100) @SingleLine String> productRetailerIds) {
    }

    /**
     * An interactive product message to build: {@code product} names one {@code productRetailerId};
     * {@code product_list} has a header, a body and sections. Meta's limits are checked by the
     * builder (422), not here, so that the answer names the limit.
     */
    public record ProductMessageDraft(
            @NotBlank @Size(max = 32) String to,
            @NotNull Long catalogId,
            @NotNull ProductMessageType type,
            @Size(max = 100) @SingleLine String productRetailerId,
            @Size(max = 4096) @SingleLine String header,
            @Size(max = 4096) @FreeText String body,
            @Size(max = 4096) @SingleLine String footer,
            @Size(max = 100) List<@Valid @NotNull ProductSection> sections) {
    }

    private Drafts() {
    }
}
