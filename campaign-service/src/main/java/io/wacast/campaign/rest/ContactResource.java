package io.wacast.campaign.rest;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.wacast.campaign.domain.ConsentStatus;
import io.wacast.campaign.domain.Contact;
import io.wacast.campaign.repository.ContactImportRepository;
import io.wacast.campaign.repository.ContactRepository;
import io.wacast.campaign.service.ContactFilter;
import io.wacast.campaign.service.ContactService;
import io.wacast.campaign.service.ProblemException;

/** The contact book: contacts with consent, tags and attributes, one by one or in bulk. */
@Path("/api/whatsapp/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contacts")
public class ContactResource {

    /** @param optIn the recorded opt-in, null when none; @param optOut the suppression list's entry, null when none */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConsentView(ConsentStatus status, Contact.OptIn optIn, Contact.OptOutFact optOut) {
    }

    public record ContactView(long id, String phoneNumber, String bsuid, String name, String language, String country,
            Map<String, String> attributes, List<String> tags, ConsentView consent, Instant createdAt, Instant updatedAt) {

        static ContactView of(Contact c) {
            return new ContactView(c.id(), c.phone(), c.bsuid(), c.name(), c.language(), c.country(), c.attributes(),
                    c.tags(), new ConsentView(c.consent(), c.optIn(), c.optOut()), c.createdAt(), c.updatedAt());
        }
    }

    /** The filter of a bulk change, as JSON: the same conditions as the list's query parameters. */
    public record FilterSpec(List<String> tags, List<AttributeSpec> attributes, String country, String consent,
            List<String> consentSources, String createdFrom, String createdTo) {
    }

    public record AttributeSpec(String name, String op, String value) {
    }

    public record TagRequest(FilterSpec filter, List<String> add, List<String> remove) {
    }

    private final ContactService contacts;
    private final CurrentCaller caller;

    ContactResource(ContactService contacts, CurrentCaller caller) {
        this.contacts = contacts;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List contacts in creation order; filter by tag (all given), attribute (name:eq|ne:value),"
            + " country, consent, consentSource, createdFrom/createdTo")
    public PageView<ContactView> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size,
            @QueryParam("tag") List<String> tags, @QueryParam("attribute") List<String> attributes,
            @QueryParam("country") String country, @QueryParam("consent") String consent,
            @QueryParam("consentSource") List<String> consentSources, @QueryParam("createdFrom") String createdFrom,
            @QueryParam("createdTo") String createdTo) {
        QueryParams.checkPage(page, size);
        ContactFilter filter = ContactFilter.parse("", tags, attributes, country, consent, consentSources, createdFrom, createdTo);
        ContactService.ContactPage found = contacts.list(filter, page, size);
        return new PageView<>(found.items().stream().map(ContactView::of).toList(), found.page(), found.size(), found.total());
    }

    @PUT
    @Path("/{phone}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace the contact of a number (201 created, 200 replaced); consent, when given,"
            + " records an opt-in, clears it (none) or suppresses the number (opted_out)")
    public Response upsert(@PathParam("phone") String phone, @NotNull ContactService.ContactSpec body) {
        ContactService.Upserted upserted = contacts.upsert(phone, body);
        ContactView view = ContactView.of(upserted.contact());
        return upserted.created()
                ? Response.created(URI.create("/api/whatsapp/contacts/" + URLEncoder.encode(view.phoneNumber(), StandardCharsets.UTF_8)))
                        .entity(view).build()
                : Response.ok(view).build();
    }

    @GET
    @Path("/{phone}")
    public ContactView get(@PathParam("phone") String phone) {
        return ContactView.of(contacts.get(phone));
    }

    /** @param changes newest first; status opted_in, none (opt-in cleared), opted_out or opt_out_lifted */
    public record ConsentHistoryView(String phoneNumber, ConsentView current,
            List<io.wacast.campaign.repository.ConsentHistoryRepository.Change> changes) {
    }

    @GET
    @Path("/{phone}/consent")
    @Operation(summary = "The number's consent now and every change of it, newest first (status, source, time, evidence,"
            + " who): the proof of when and how it opted in and out; kept after an erasure without the evidence")
    public ConsentHistoryView consent(@PathParam("phone") String phone,
            @QueryParam("limit") @DefaultValue("200") @Min(1) @Max(1000) int limit) {
        List<io.wacast.campaign.repository.ConsentHistoryRepository.Change> changes = contacts.consentHistory(phone, limit);
        Contact contact = contacts.find(phone).orElse(null);
        return new ConsentHistoryView(contact == null ? null : contact.phone(),
                contact == null ? null : new ConsentView(contact.consent(), contact.optIn(), contact.optOut()), changes);
    }

    @DELETE
    @Path("/{phone}")
    @Operation(summary = "Erase a contact (name, attributes, tags, opt-in); an opt-out of the number is kept, hashed")
    public Response erase(@PathParam("phone") String phone) {
        contacts.erase(phone);
        return Response.noContent().build();
    }

    @POST
    @Path("/import")
    @Consumes(RecipientResource.TEXT_CSV)
    @Operation(summary = "Import a UTF-8 CSV (header phone,name,language,tags,<attributes>), streamed and committed in"
            + " chunks; valid rows are stored, rejected rows reported; consented=true records an opt-in with the evidence")
    public ContactService.ImportReport importCsv(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @QueryParam("consented") @DefaultValue("false") String consented, @QueryParam("evidence") String evidence,
            InputStream body) {
        String charset = MediaType.valueOf(contentType).getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")
                && !charset.equalsIgnoreCase("us-ascii")) {
            throw ProblemException.unsupportedMediaType("CSV uploads must be UTF-8, not " + charset);
        }
        if (!consented.equals("true") && !consented.equals("false")) {
            throw ProblemException.invalidField("consented", "true or false");
        }
        return contacts.importCsv(body, Boolean.parseBoolean(consented), evidence, caller.get().name());
    }

    @GET
    @Path("/imports/{id}")
    @Operation(summary = "A contacts import: running, completed or failed, and the rows and report it has committed")
    public ContactImportRepository.ContactImportRow importOf(@PathParam("id") long id) {
        return contacts.importOf(id);
    }

    @POST
    @Path("/tags")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add and remove tags on every contact a filter matches (an empty filter matches all)")
    public ContactService.TagChange retag(@NotNull TagRequest body) {
        return contacts.retag(filter("filter.", body.filter()), body.add(), body.remove());
    }

    @GET
    @Path("/export")
    @Produces(RecipientResource.TEXT_CSV)
    @Operation(summary = "The matching contacts as a CSV in the import's format, streamed")
    public Response export(@QueryParam("tag") List<String> tags, @QueryParam("attribute") List<String> attributes,
            @QueryParam("country") String country, @QueryParam("consent") String consent,
            @QueryParam("consentSource") List<String> consentSources, @QueryParam("createdFrom") String createdFrom,
            @QueryParam("createdTo") String createdTo) {
        ContactFilter filter = ContactFilter.parse("", tags, attributes, country, consent, consentSources, createdFrom, createdTo);
        StreamingOutput body = output -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 1 << 16);
            CSVPrinter[] printer = new CSVPrinter[1];
            List<String> columns = new ArrayList<>();
            contacts.export(filter, names -> {
                columns.addAll(names);
                List<String> header = new ArrayList<>(List.of("phone", "name", "language", "tags"));
                header.addAll(names);
                try {
                    printer[0] = new CSVPrinter(writer, CSVFormat.RFC4180);
                    printer[0].printRecord(header);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, (ContactRepository.ExportRow row) -> {
                List<String> record = new ArrayList<>(4 + columns.size());
                record.add(row.phone());
                record.add(row.name() == null ? "" : row.name());
                record.add(row.language() == null ? "" : row.language());
                record.add(row.tags() == null ? "" : row.tags());
                for (String column : columns) {
                    record.add(row.attributes().getOrDefault(column, ""));
                }
                printer[0].printRecord(record);
            });
            printer[0].flush();
        };
        return Response.ok(body, RecipientResource.TEXT_CSV + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"contacts.csv\"").build();
    }

    private static ContactFilter filter(String prefix, FilterSpec spec) {
        if (spec == null) {
            return ContactFilter.ALL;
        }
        List<String> attributes = spec.attributes() == null ? List.of() : spec.attributes().stream()
                .map(a -> a == null ? null : a.name() + ":" + a.op() + ":" + a.value()).toList();
        return ContactFilter.parse(prefix, spec.tags(), attributes, spec.country(), spec.consent(), spec.consentSources(),
                spec.createdFrom(), spec.createdTo());
    }
}
