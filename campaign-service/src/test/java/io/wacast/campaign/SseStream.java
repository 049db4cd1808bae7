package io.wacast.campaign;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/**
 * A server-sent event stream read the way a browser's EventSource reads it (a plain HTTP/1.1 client,
 * events dispatched at each blank line), recording its events and comments as they arrive. Closing
 * it cancels the body, which closes the connection: the server sees the client go away.
 */
public final class SseStream implements AutoCloseable {

    /** One dispatched event: its {@code id:}, {@code event:} and (joined) {@code data:} fields. */
    public record Event(String id, String name, String data) {
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private volatile int status;
    private volatile String contentType;
    private volatile boolean ended;
    private volatile Flow.Subscription subscription;

    private String id;
    private String name;
    private StringBuilder data;

    private SseStream() {
    }

    /** Opens {@code uri} with {@code Authorization: Bearer <key>}; returns at once, events arrive in the background. */
    public static SseStream open(URI uri, String key) {
        SseStream stream = new SseStream();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream").GET().build();
        CLIENT.sendAsync(request, info -> {
            stream.status = info.statusCode();
            stream.contentType = info.headers().firstValue("Content-Type").orElse(null);
            return HttpResponse.BodySubscribers.fromLineSubscriber(stream.new Lines());
        });
        return stream;
    }

    public List<Event> events() {
        return events;
    }

    public List<String> comments() {
        return comments;
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** Whether the server ended the stream (or the connection failed). */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }

    /** The field rules of the SSE specification, for the fields this API sends. */
    private final class Lines implements Flow.Subscriber<String> {

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(id, name, data.toString()));
                }
                name = null;
                data = null;
                return;
            }
            int colon = line.indexOf(':');
            if (colon == 0) {
                comments.add(line.substring(1).strip());
                return;
            }
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            ended = true;
        }

        @Override
        public void onComplete() {
            ended = true;
        }
    }
}
