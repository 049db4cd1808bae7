package io.wacast.campaign.repository;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** UTF-8 text deflated at the fastest level (zlib format), as the outbox stores a batch row. */
final class Deflated {

    private Deflated() {
    }

    static byte[] of(CharSequence text) {
        byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream output = new ByteArrayOutputStream(input.length / 4 + 64);
            byte[] chunk = new byte[16 * 1024];
            while (!deflater.finished()) {
                output.write(chunk, 0, deflater.deflate(chunk));
            }
            return output.toByteArray();
        } finally {
            deflater.end();
        }
    }

    static String text(byte[] deflated) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream output = new ByteArrayOutputStream(deflated.length * 8);
            byte[] chunk = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("an outbox batch row is truncated or not deflated");
                }
                output.write(chunk, 0, n);
            }
            return output.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new IllegalStateException("an outbox batch row is not deflated data", e);
        } finally {
            inflater.end();
        }
    }
}
