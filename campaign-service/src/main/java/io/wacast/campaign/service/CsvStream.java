package io.wacast.campaign.service;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import io.wacast.common.problem.Problem.FieldError;

/**
 * Reads an uploaded CSV as it arrives, row by row, never the whole file in memory: UTF-8 only (with
 * or without BOM), RFC 4180 quoting, a size limit enforced while streaming. What spoils the whole
 * upload is a {@link ProblemException}; what is wrong with one row is the caller's to report.
 */
final class CsvStream {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .get();

    private CsvStream() {
    }

    /**
     * Hands the header's cells (stripped, BOM removed) to {@code header}, which throws when it is wrong,
     * then every data row with its 1-based number to {@code rows}. Throws a {@link ProblemException} for
     * bytes that are not UTF-8 (400), a broken quote (400), more than {@code maxBytes} or a line of more
     * than {@code maxLineChars} (413), or no header at all (400, naming {@code expectedHeader}).
     */
    static void read(InputStream body, long maxBytes, int maxLineChars, String expectedHeader,
            Consumer<List<String>> header, BiConsumer<Integer, CSVRecord> rows) {
        Reader reader = new LineLimitedReader(maxLineChars, new InputStreamReader(
                new LimitedInputStream(new BufferedInputStream(body, 1 << 16), maxBytes),
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)));
        long row = 0;
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            boolean headerRead = false;
            for (CSVRecord record : parser) {
                if (hasUndecodableBytes(record)) {
                    throw notUtf8(headerRead ? (int) row + 1 : null);
                }
                if (!headerRead) {
                    List<String> columns = new ArrayList<>();
                    for (String cell : record) {
                        columns.add(cell.replace("\uFEFF", "").strip());
                    }
                    header.accept(columns);
                    headerRead = true;
                    continue;
                }
                row++;
                rows.accept((int) row, record);
            }
            if (!headerRead) {
                throw ProblemException.invalidField("header", "the CSV is empty; expected the header " + expectedHeader);
            }
        } catch (UncheckedIOException e) {
            throw unreadable(e.getCause(), row + 1);
        } catch (IOException e) {
            throw unreadable(e, row + 1);
        }
    }

    /**
     * Bytes that are not UTF-8 decode to U+FFFD; finding it per record (rather than failing inside the
     * decoder, which reads ahead) names the exact row.
     */
    private static boolean hasUndecodableBytes(CSVRecord record) {
        for (String cell : record) {
            if (cell.indexOf('\uFFFD') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** @param row the data row, null for the header */
    private static ProblemException notUtf8(Integer row) {
        return ProblemException.invalid("the CSV is not valid UTF-8 (" + (row == null ? "header" : "data row " + row)
                + "); save it as UTF-8 and upload again",
                List.of(new FieldError("encoding", row, "not valid UTF-8", null)));
    }

    private static ProblemException unreadable(Throwable cause, long row) {
        if (cause instanceof ProblemException problem) {
            return problem;
        }
        if (cause instanceof LimitExceeded limit) {
            return limit.problem;
        }
        return ProblemException.invalid("the CSV cannot be parsed near data row " + row + ": unbalanced quotes or a broken line",
                List.of(FieldError.atRow((int) row, "csv", "cannot be parsed", null)));
    }

    /** Thrown through the reader when the upload passes the limit. */
    private static final class LimitExceeded extends IOException {
        final transient ProblemException problem;

        LimitExceeded(long maxBytes) {
            this(ProblemException.tooLarge("the CSV is larger than " + maxBytes + " bytes; split it into several uploads"));
        }

        LimitExceeded(ProblemException problem) {
            super("upload too large", null);
            this.problem = problem;
        }
    }

    /** Counts the bytes read and fails past the limit, so an oversized upload is refused while streaming. */
    private static final class LimitedInputStream extends FilterInputStream {

        private final long maxBytes;
        private long count;

        LimitedInputStream(InputStream in, long maxBytes) {
            super(in);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            count += n;
            if (count > maxBytes) {
                throw new LimitExceeded(maxBytes);
            }
        }
    }

    /**
     * Fails a line (a record, including line breaks inside quotes) longer than {@code maxChars} while
     * it streams, so one huge quoted cell cannot fill the heap before the parser ends the record.
     */
    private static final class LineLimitedReader extends java.io.FilterReader {

        private final int maxChars;
        private boolean quoted;
        private int lineChars;
        private long line = 1;

        LineLimitedReader(int maxChars, Reader in) {
            super(in);
            this.maxChars = maxChars;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                see((char) c);
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            for (int i = 0; i < n; i++) {
                see(buffer[offset + i]);
            }
            return n;
        }

        private void see(char c) throws IOException {
            if (c == '"') {
                quoted = !quoted; // an escaped quote ("") toggles twice
            } else if (c == '\n' && !quoted) {
                lineChars = 0;
                line++;
                return;
            }
            if (++lineChars > maxChars) {
                String message = "line " + line + " is longer than " + maxChars + " characters";
                throw new LimitExceeded(new ProblemException(413, "payload-too-large", "Request body too large",
                        message + " (a quoted cell that never ends?); a row is far shorter",
                        List.of(FieldError.of("csv", message))));
            }
        }
    }
}
