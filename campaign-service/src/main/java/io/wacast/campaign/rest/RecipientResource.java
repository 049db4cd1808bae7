package io.wacast.campaign.rest;

import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.wacast.campaign.domain.Recipient;
import io.wacast.campaign.service.CampaignSpec;
import io.wacast.campaign.service.CsvExport;
import io.wacast.campaign.service.ProblemException;
import io.wacast.campaign.service.RecipientLoader;
import io.wacast.campaign.service.RecipientService;
import io.wacast.common.status.RecipientStatus;

/** The recipients of one campaign: JSON or streamed CSV uploads, pages, removal, message preview. */
@Path("/api/whatsapp/campaigns/{id}/recipients")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Recipients")
public class RecipientResource {

    public static final String TEXT_CSV = "text/csv";

    public record RecipientView(long id, String phoneNumber, String name, Map<String, String> variables,
            RecipientStatus status, String wamid, Integer lastErrorCode, String lastErrorMessage, Instant createdAt,
            Instant updatedAt) {

        static RecipientView of(Recipient r) {
            return new RecipientView(r.id(), r.phone(), r.name(), r.variables(), r.status(), r.wamid(), r.lastErrorCode(),
                    r.lastErrorMessage(), r.createdAt(), r.updatedAt());
        }
    }

    private final RecipientService recipients;
    private final CsvExport exports;

    RecipientResource(RecipientService recipients, CsvExport exports) {
        this.recipients = recipients;
        this.exports = exports;
    }

    @GET
    @Path("/export")
    @Produces(TEXT_CSV)
    @Operation(summary = "Every recipient as CSV (phone, name, status, queued and last-change times, wamid, error code,"
            + " meaning and message), streamed; ?status=failed,opted_out filters")
    public Response export(@PathParam("id") long id, @QueryParam("status") List<String> status) {
        Set<RecipientStatus> statuses = EnumSet.noneOf(RecipientStatus.class);
        for (String values : status) {
            for (String value : values.split(",", -1)) {
                if (value.isBlank()) {
                    throw ProblemException.invalidField("status", "empty status; give one or more of "
                            + String.join(", ", Arrays.stream(RecipientStatus.values()).map(RecipientStatus::value).toList())
                            + ", separated by commas");
                }
                statuses.add(QueryParams.parse(RecipientStatus.class, "status", value));
            }
        }
        CsvExport.Export export = exports.recipients(id, List.copyOf(statuses));
        String suffix = statuses.isEmpty() ? "" : "-" + String.join("-", statuses.stream().map(RecipientStatus::value).toList());
        return Response.ok((StreamingOutput) export::writeTo, TEXT_CSV + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"campaign-" + id + "-recipients" + suffix + ".csv\"")
                .build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add recipients from a JSON array; valid rows are stored, rejected rows reported")
    public RecipientLoader.Report addJson(@PathParam("id") long id, @NotNull List<CampaignSpec.RecipientSpec> body) {
        return recipients.addAll(id, body);
    }

    @POST
    @Consumes(TEXT_CSV)
    @Operation(summary = "Add recipients from a UTF-8 CSV (header phone,name,<template variables>), streamed")
    public RecipientLoader.Report addCsv(@PathParam("id") long id, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body) {
        String charset = MediaType.valueOf(contentType).getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")
                && !charset.equalsIgnoreCase("us-ascii")) {
            throw ProblemException.unsupportedMediaType("CSV uploads must be UTF-8, not " + charset);
        }
        return recipients.addCsv(id, body);
    }

    @GET
    @Operation(summary = "List recipients in upload order, optionally of one status; ?phone= finds one recipient")
    public PageView<RecipientView> list(@PathParam("id") long id,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size,
            @QueryParam("status") String status, @QueryParam("phone") String phone) {
        QueryParams.checkPage(page, size);
        RecipientStatus filter = QueryParams.parse(RecipientStatus.class, "status", status);
        RecipientService.RecipientPage found = phone == null || phone.isBlank()
                ? recipients.list(id, filter, page, size)
                : recipients.findByPhone(id, phone, filter);
        return new PageView<>(found.items().stream().map(RecipientView::of).toList(), found.page(), found.size(), found.total());
    }

    @DELETE
    @Operation(summary = "Remove a pending recipient by phone number (?phone=)")
    public Response deleteByPhone(@PathParam("id") long id, @QueryParam("phone") String phone) {
        if (phone == null || phone.isBlank()) {
            throw ProblemException.invalidField("phone", "name the recipient to remove: ?phone=+919876543210, or DELETE …/recipients/{rid}");
        }
        recipients.deleteByPhone(id, phone);
        return Response.noContent().build();
    }

    @DELETE
    @Path("/{rid}")
    @Operation(summary = "Remove a pending recipient by id")
    public Response deleteById(@PathParam("id") long id, @PathParam("rid") long recipientId) {
        recipients.deleteById(id, recipientId);
        return Response.noContent().build();
    }

    @GET
    @Path("/{rid}/preview")
    @Operation(summary = "The exact message this recipient will get")
    public RecipientService.Preview preview(@PathParam("id") long id, @PathParam("rid") long recipientId) {
        return recipients.preview(id, recipientId);
    }
}
