package io.wacast.campaign.service;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.wacast.campaign.domain.Campaign;
import io.wacast.campaign.repository.ExportRepository;
import io.wacast.campaign.repository.StatsRepository;
import io.wacast.common.meta.MetaErrorPolicy;
import io.wacast.common.status.RecipientStatus;

/**
 * Campaign exports as CSV (RFC 4180, UTF-8, a header line): recipients streamed row by row from the
 * database whatever their number, the error breakdown and the per-minute timeline. Free text (names,
 * Meta's error messages) that a spreadsheet would run as a formula is prefixed with an apostrophe.
 */
@ApplicationScoped
public class CsvExport {

    public static final String RECIPIENTS_HEADER =
            "phone,name,status,queued_at,updated_at,wamid,error_code,error_meaning,error_message";
    public static final String ERRORS_HEADER = "error_code,recipients,meaning,policy";
    public static final String TIMELINE_HEADER = "minute,sent,delivered,read,failed,attempts";
    /** A year of minutes: more timeline rows than any campaign has. */
    static final int MAX_TIMELINE_ROWS = 527_040;

    /** Writes an export to the response once its request was found sound. */
    @FunctionalInterface
    public interface Export {
        void writeTo(OutputStream out) throws IOException;
    }

    private final ExportRepository exports;
    private final StatsRepository stats;

    CsvExport(ExportRepository exports, StatsRepository stats) {
        this.exports = exports;
        this.stats = stats;
    }

    /**
     * The campaign's recipients in {@code statuses} (all when empty), in upload order. 404 now, before
     * anything is written, when there is no such campaign.
     */
    @Transactional
    public Export recipients(long campaignId, List<RecipientStatus> statuses) {
        exists(campaignId);
        return out -> {
            BufferedWriter csv = writer(out);
            csv.write(RECIPIENTS_HEADER);
            csv.write("\r\n");
            Map<Integer, String> meanings = new HashMap<>();
            exports.recipients(campaignId, statuses, row -> {
                csv.write(row.phone());
                csv.write(',');
                cell(csv, row.name());
                csv.write(',');
                csv.write(row.status().value());
                csv.write(',');
                instant(csv, row.queuedAt());
                csv.write(',');
                instant(csv, row.updatedAt());
                csv.write(',');
                cell(csv, row.wamid());
                csv.write(',');
                if (row.errorCode() != null) {
                    csv.write(Integer.toString(row.errorCode()));
                    csv.write(',');
                    cell(csv, meanings.computeIfAbsent(row.errorCode(), MetaErrorPolicy::meaning));
                } else {
                    csv.write(',');
                }
                csv.write(',');
                cell(csv, row.errorMessage());
                csv.write("\r\n");
            });
            csv.flush();
        };
    }

    /** Recipients standing failed or opted out by Meta, per error code (the stats' errorBreakdown). */
    @Transactional
    public Export errors(long campaignId) {
        exists(campaignId);
        List<StatsRepository.ErrorCount> errors = stats.errors(campaignId);
        return out -> {
            BufferedWriter csv = writer(out);
            csv.write(ERRORS_HEADER);
            csv.write("\r\n");
            for (StatsRepository.ErrorCount error : errors) {
                MetaErrorPolicy.Decision decision = MetaErrorPolicy.forCode(error.code());
                csv.write(error.code() + "," + error.recipients() + ",");
                cell(csv, decision.meaning());
                csv.write("," + decision.action().value() + "\r\n");
            }
            csv.flush();
        };
    }

    /** Every minute (UTC) of activity, oldest first: transitions into sent, delivered, read, failed, and attempts. */
    @Transactional
    public Export timeline(long campaignId) {
        exists(campaignId);
        List<StatsRepository.Bucket> buckets = stats.timeline(campaignId, MAX_TIMELINE_ROWS);
        return out -> {
            BufferedWriter csv = writer(out);
            csv.write(TIMELINE_HEADER);
            csv.write("\r\n");
            for (StatsRepository.Bucket b : buckets) {
                csv.write(b.minute() + "," + b.sent() + "," + b.delivered() + "," + b.read() + "," + b.failed() + ","
                        + b.attempts() + "\r\n");
            }
            csv.flush();
        };
    }

    private static void exists(long campaignId) {
        if (Campaign.findById(campaignId) == null) {
            throw ProblemException.notFound("campaign", campaignId);
        }
    }

    private static BufferedWriter writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    }

    private static void instant(BufferedWriter csv, Instant at) throws IOException {
        if (at != null) {
            csv.write(at.toString());
        }
    }

    /** One cell: quoted when it holds a comma, a quote or a line break; a would-be formula defused. */
    static void cell(BufferedWriter csv, String value) throws IOException {
        if (value == null || value.isEmpty()) {
            return;
        }
        String text = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            csv.write(text);
            return;
        }
        csv.write('"');
        csv.write(text.replace("\"", "\"\""));
        csv.write('"');
    }
}
