package io.wacast.simulator.trace;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wacast.simulator.config.SimulatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;

/**
 * The per-call trace of {@code wacast.sim.trace-calls} (off by default): for each send call, when it
 * reached the HTTP server (a router handler ahead of every other, stamped as the request's head is
 * read), when its handler counted it against the number's throughput, whether it was admitted, and the
 * times a tracing sender sent along: its slot, its departure check and its write to the socket. Set
 * beside each other they tell where calls bunch: in the sender's schedule, between its check and its
 * write, on the way, or in this JVM before it counts them (a collection pause stamps every call that
 * arrived during it at its end). A fixed number of rows, kept in arrays; calls beyond it are counted
 * and not traced.
 */
@ApplicationScoped
public class CallTrace {

    /** The request attribute that carries the arrival stamp from the router to the handler. */
    static final String RECEIVED = "wacast.receivedUs";

    private final int capacity;
    private final long[] receivedUs;
    private final long[] handledUs;
    private final long[] slotUs;
    private final long[] checkedUs;
    private final long[] sentUs;
    private final boolean[] admitted;
    private final String[] number;
    private final String[] thread;
    private int count;
    private long untraced;

    public CallTrace(SimulatorConfig config) {
        this.capacity = Math.max(0, config.traceCalls());
        this.receivedUs = new long[capacity];
        this.handledUs = new long[capacity];
        this.slotUs = new long[capacity];
        this.checkedUs = new long[capacity];
        this.sentUs = new long[capacity];
        this.admitted = new boolean[capacity];
        this.number = new String[capacity];
        this.thread = new String[capacity];
    }

    public boolean enabled() {
        return capacity > 0;
    }

    /** Stamps every Graph API request as the server reads its head, before any other handler runs. */
    void stampArrivals(@Observes Router router) {
        if (enabled()) {
            router.routeWithRegex("/v\\d+\\.\\d+/.*").order(Integer.MIN_VALUE).handler(rc -> {
                rc.put(RECEIVED, nowUs());
                rc.next();
            });
        }
    }

    /** Records one send call its handler took at {@code handled} (epoch µs). */
    public void record(RoutingContext context, String phoneNumberId, long handled, boolean wasAdmitted) {
        Long received = context.get(RECEIVED);
        long slot = header(context, "X-Wacast-Slot");
        long checked = header(context, "X-Wacast-Checked");
        long sent = header(context, "X-Wacast-Sent");
        synchronized (this) {
            if (count == capacity) {
                untraced++;
                return;
            }
            receivedUs[count] = received == null ? 0 : received;
            handledUs[count] = handled;
            slotUs[count] = slot;
            checkedUs[count] = checked;
            sentUs[count] = sent;
            admitted[count] = wasAdmitted;
            number[count] = phoneNumberId;
            thread[count] = Thread.currentThread().getName();
            count++;
        }
    }

    /** The trace as CSV, oldest call first; times in epoch µs, 0 where the sender sent none. */
    public void write(Writer out) throws IOException {
        int rows;
        long skipped;
        synchronized (this) {
            rows = count;
            skipped = untraced;
        }
        out.write("phone_number_id,slot_us,checked_us,sent_us,received_us,handled_us,admitted,thread\n");
        StringBuilder line = new StringBuilder(96);
        for (int i = 0; i < rows; i++) {
            line.setLength(0);
            line.append(number[i]).append(',').append(slotUs[i]).append(',').append(checkedUs[i]).append(',')
                    .append(sentUs[i]).append(',').append(receivedUs[i]).append(',').append(handledUs[i]).append(',')
                    .append(admitted[i] ? 1 : 0).append(',').append(thread[i]).append('\n');
            out.write(line.toString());
        }
        if (skipped > 0) {
            out.write("# " + skipped + " calls not traced: wacast.sim.trace-calls is " + capacity + "\n");
        }
    }

    /** Forgets every traced call (a reset). */
    public synchronized void clear() {
        count = 0;
        untraced = 0;
    }

    public static long nowUs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    private static long header(RoutingContext context, String name) {
        String value = context.request().getHeader(name);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
