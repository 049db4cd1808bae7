package io.wacast.catalog.service;

import io.wacast.catalog.domain.Catalog;
import io.wacast.catalog.service.Drafts.ProductMessageDraft;
import io.wacast.catalog.service.Drafts.ProductSection;
import io.wacast.common.problem.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the Graph API body of an interactive {@code product} or {@code product_list} message from
 * catalog items, checked against Meta's documented limits first: Meta rejects an over-limit message
 * only when it is sent, long after the operator composed it. The sender can post the body as it is.
 */
@ApplicationScoped
public class ProductMessageBuilder {

    static final int MAX_SECTIONS = 10;
    static final int MAX_PRODUCTS = 30;
    static final int MAX_SECTION_TITLE = 24;
    static final int MAX_HEADER = 60;
    static final int MAX_BODY = 1024;
    static final int MAX_FOOTER = 60;

    @Inject
    CatalogService catalogs;

    @Inject
    SellableLookup sellables;

    @Transactional
    public Map<String, Object> build(ProductMessageDraft draft) {
        String to = CustomerPhone.require(draft.to(), "to");
        Catalog catalog = catalogs.get(draft.catalogId());
        List<FieldError> errors = new ArrayList<>();
        if (catalog.metaCatalogId == null) {
            errors.add(FieldError.of("catalogId", "catalog " + catalog.id + " has no metaCatalogId; Meta needs its catalog id"));
        }
        List<String> retailerIds = draft.type() == ProductMessageType.PRODUCT
                ? checkSingle(draft, errors)
                : checkList(draft, errors);
        maxLength(errors, "body", draft.body(), MAX_BODY);
        maxLength(errors, "footer", draft.footer(), MAX_FOOTER);
        if (errors.isEmpty()) {
            Set<String> known = sellables.byRetailerIds(catalog.id, retailerIds).keySet();
            retailerIds.stream().filter(id -> !known.contains(id)).forEach(id -> errors.add(FieldError.of(
                    "productRetailerIds", "no product or variant '" + id + "' in catalog " + catalog.id)));
        }
        if (!errors.isEmpty()) {
            throw CatalogProblem.unprocessable("product-message-limits",
                    errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")), errors);
        }
        return payload(to, catalog.metaCatalogId, draft);
    }

    private static List<String> checkSingle(ProductMessageDraft draft, List<FieldError> errors) {
        if (draft.productRetailerId() == null || draft.productRetailerId().isBlank()) {
            errors.add(FieldError.of("productRetailerId", "required for a product message"));
        }
        if (draft.header() != null) {
            errors.add(FieldError.of("header", "a product message cannot have a header"));
        }
        if (draft.sections() != null && !draft.sections().isEmpty()) {
            errors.add(FieldError.of("sections", "a product message names one productRetailerId, not sections"));
        }
        return draft.productRetailerId() == null ? List.of() : List.of(draft.productRetailerId());
    }

    private static List<String> checkList(ProductMessageDraft draft, List<FieldError> errors) {
        if (draft.header() == null || draft.header().isBlank()) {
            errors.add(FieldError.of("header", "required for a product_list message"));
        }
        if (draft.body() == null || draft.body().isBlank()) {
            errors.add(FieldError.of("body", "required for a product_list message"));
        }
        maxLength(errors, "header", draft.header(), MAX_HEADER);
        List<ProductSection> sections = draft.sections() == null ? List.of() : draft.sections();
        if (sections.isEmpty()) {
            errors.add(FieldError.of("sections", "at least 1 section is required"));
        }
        if (sections.size() > MAX_SECTIONS) {
            errors.add(FieldError.of("sections", "at most " + MAX_SECTIONS + " sections (got " + sections.size() + ")"));
        }
        List<String> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < sections.size(); i++) {
            ProductSection section = sections.get(i);
            if (sections.size() > 1 && (section.title() == null || section.title().isBlank())) {
                errors.add(FieldError.of("sections[" + i + "].title", "required when there is more than one section"));
            }
            maxLength(errors, "sections[" + i + "].title", section.title(), MAX_SECTION_TITLE);
            for (String id : section.productRetailerIds()) {
                if (!seen.add(id)) {
                    errors.add(FieldError.of("sections[" + i + "].productRetailerIds", "'" + id + "' is listed twice"));
                }
                all.add(id);
            }
        }
        if (all.size() > MAX_PRODUCTS) {
            errors.add(FieldError.of("sections", "at most " + MAX_PRODUCTS + " products in all sections (got " + all.size() + ")"));
        }
        return all;
    }

    private static void maxLength(List<FieldError> errors, String field, String value, int max) {
        if (value != null && value.codePointCount(0, value.length()) > max) {
            errors.add(FieldError.of(field, "at most " + max + " characters (got " + value.codePointCount(0, value.length()) + ")"));
        }
    }

    private static Map<String, Object> payload(String to, String metaCatalogId, ProductMessageDraft draft) {
        Map<String, Object> interactive = new LinkedHashMap<>();
        interactive.put("type", draft.type().wireName());
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("catalog_id", metaCatalogId);
        if (draft.type() == ProductMessageType.PRODUCT) {
            action.put("product_retailer_id", draft.productRetailerId());
        } else {
            interactive.put("header", Map.of("type", "text", "text", draft.header()));
            action.put("sections", draft.sections().stream().map(section -> {
                Map<String, Object> out = new LinkedHashMap<>();
                if (section.title() != null && !section.title().isBlank()) {
                    out.put("title", section.title());
                }
                out.put("product_items", section.productRetailerIds().stream()
                        .map(id -> Map.of("product_retailer_id", id)).toList());
                return out;
            }).toList());
        }
        if (draft.body() != null && !draft.body().isBlank()) {
            interactive.put("body", Map.of("text", draft.body()));
        }
        if (draft.footer() != null && !draft.footer().isBlank()) {
            interactive.put("footer", Map.of("text", draft.footer()));
        }
        interactive.put("action", action);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("messaging_product", "whatsapp");
        message.put("recipient_type", "individual");
        message.put("to", to);
        message.put("type", "interactive");
        message.put("interactive", interactive);
        return message;
    }
}
