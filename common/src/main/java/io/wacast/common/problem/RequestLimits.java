package io.wacast.common.problem;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sizes a service accepts before it routes a request: the request target (URI), all headers
 * together, and an announced body. Vert.x refuses what exceeds its own codec limits with an empty
 * 413/414/431; a service checks these lower limits first so that the caller gets a problem saying
 * which limit it hit.
 *
 * @param maxUriLength the longest request target, in characters
 * @param maxHeaderBytes the most bytes of header names and values together
 * @param maxBodyBytes the largest announced {@code Content-Length}
 */
public record RequestLimits(int maxUriLength, long maxHeaderBytes, long maxBodyBytes) {

    /** The problem to answer for a request of these sizes, or empty when it is within every limit. */
    public Optional<Problem> refusal(String path, int uriLength, long headerBytes, Long contentLength) {
        if (uriLength > maxUriLength) {
            return Optional.of(Problem.of("uri-too-long", "URI too long", 414,
                    "the request URI has " + uriLength + " characters; at most " + maxUriLength + " are accepted",
                    shortened(path), List.of(Problem.FieldError.of("uri", "at most " + maxUriLength + " characters"))));
        }
        if (headerBytes > maxHeaderBytes) {
            return Optional.of(Problem.of("headers-too-large", "Request header fields too large", 431,
                    "the request headers have " + headerBytes + " bytes; at most " + maxHeaderBytes + " are accepted",
                    shortened(path), List.of(Problem.FieldError.of("headers", "at most " + maxHeaderBytes + " bytes"))));
        }
        if (contentLength != null && contentLength > maxBodyBytes) {
            return Optional.of(Problem.of("payload-too-large", "Payload too large", 413,
                    "the body has " + contentLength + " bytes; at most " + maxBodyBytes + " are accepted",
                    shortened(path), List.of(Problem.FieldError.of("body", "at most " + maxBodyBytes + " bytes"))));
        }
        return Optional.empty();
    }

    /**
     * The problem to answer for a request as its head describes it: the header entries (each counted
     * as name, value and four bytes of framing) and the raw {@code Content-Length} header, if any.
     */
    public Optional<Problem> refusal(String path, int uriLength, Iterable<Map.Entry<String, String>> headers,
            String contentLengthHeader) {
        long headerBytes = 0;
        for (Map.Entry<String, String> header : headers) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        return refusal(path, uriLength, headerBytes, contentLength(contentLengthHeader));
    }

    /** The announced body size, or null when there is none or it is not a number. */
    static Long contentLength(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The instance of a refused request: its path, cut short, since a too-long URI is the problem. */
    private static String shortened(String path) {
        if (path == null) {
            return null;
        }
        return path.length() <= 200 ? path : path.substring(0, 200) + "…";
    }
}
