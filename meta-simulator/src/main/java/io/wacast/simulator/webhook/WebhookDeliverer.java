package io.wacast.simulator.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.wacast.simulator.config.BusinessNumber;
import io.wacast.simulator.config.SettingsStore;
import io.wacast.simulator.config.SimulationSettings;
import io.wacast.simulator.config.SimulatorConfig;
import io.wacast.simulator.stats.SimulatorStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Delivers planned webhooks when they are due, like Meta: statuses of one number batched into one
 * signed request, inbound messages one per request, failed requests retried with exponential backoff
 * and the same bytes. Sending is non-blocking (Vert.x HTTP client) with a bounded number in flight,
 * and the queue is bounded, so a slow or dead endpoint never slows the send API or exhausts memory:
 * above the bound new events are dropped and counted.
 */
@ApplicationScoped
public class WebhookDeliverer {

    private static final Logger LOG = Logger.getLogger(WebhookDeliverer.class);
    private static final int MAX_DRAIN = 2_000;

    private final SettingsStore settings;
    private final SimulatorStats stats;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final String appSecret;
    private final int capacity;
    private final int maxInFlight;

    private final DelayQueue<Delivery> queue = new DelayQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Semaphore inFlight;
    private volatile boolean endpointDown;
    private volatile boolean running;
    private HttpClient client;
    private Thread worker;

    public WebhookDeliverer(SettingsStore settings, SimulatorStats stats, ObjectMapper mapper, Vertx vertx,
            SimulatorConfig config) {
        this.settings = settings;
        this.stats = stats;
        this.mapper = mapper;
        this.vertx = vertx;
        this.appSecret = config.appSecret();
        this.capacity = config.webhook().queueCapacity();
        this.maxInFlight = config.webhook().maxInFlight();
        this.inFlight = new Semaphore(maxInFlight);
    }

    void start(@Observes StartupEvent event) {
        client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(maxInFlight).setKeepAlive(true));
        running = true;
        worker = new Thread(this::deliveryLoop, "webhook-deliverer");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
        if (client != null) {
            client.close();
        }
    }

    /** Queues {@code event} for delivery {@code delayMillis} from now; false (and counted) when full. */
    public boolean schedule(PlannedEvent event, long delayMillis) {
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            stats.webhookDropped();
            return false;
        }
        queue.add(new Delivery(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), List.of(event), null,
                0, event.generation()));
        return true;
    }

    /**
     * Queues one account-level change ({@code entry[].changes[]} with {@code field} and {@code value}) of
     * {@code wabaId}, dated now, for delivery at once; signed and retried like every other webhook.
     */
    public void scheduleChange(String wabaId, String field, JsonNode value) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode entry = body.putArray("entry").addObject();
        entry.put("id", wabaId);
        entry.put("time", java.time.Instant.now().getEpochSecond());
        ObjectNode change = entry.putArray("changes").addObject();
        change.set("value", value);
        change.put("field", field);
        body.put("object", "whatsapp_business_account");
        try {
            pending.incrementAndGet();
            queue.add(new Delivery(System.nanoTime(), List.of(), mapper.writeValueAsBytes(body), 0, stats.generation()));
        } catch (JsonProcessingException e) {
            pending.decrementAndGet();
            throw new UncheckedIOException(e);
        }
    }

    public int pending() {
        return pending.get();
    }

    /** Forgets every queued event; requests in flight finish but neither count nor retry. */
    public void reset() {
        queue.clear();
        pending.set(0);
    }

    private void deliveryLoop() {
        while (running) {
            try {
                Delivery first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Delivery> due = new ArrayList<>();
                due.add(first);
                queue.drainTo(due, MAX_DRAIN);
                for (Delivery request : toRequests(due)) {
                    inFlight.acquire();
                    send(request);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("webhook delivery failed; continuing", e);
            }
        }
    }

    /** Retries go out unchanged; fresh statuses are batched per number, inbound messages go alone. */
    private List<Delivery> toRequests(List<Delivery> due) {
        int generation = stats.generation();
        int batchSize = settings.get().webhooks().maxStatusesPerRequest();
        List<Delivery> requests = new ArrayList<>();
        Map<String, List<PlannedEvent>> statusesByNumber = new LinkedHashMap<>();
        for (Delivery delivery : due) {
            if (delivery.generation != generation) {
                continue;
            }
            if (delivery.body != null) {
                requests.add(delivery);
                continue;
            }
            for (PlannedEvent event : delivery.events) {
                if (event.isStatus()) {
                    List<PlannedEvent> batch = statusesByNumber.computeIfAbsent(event.number().phoneNumberId(),
                            id -> new ArrayList<>());
                    batch.add(event);
                    if (batch.size() == batchSize) {
                        requests.add(build(batch, generation));
                        statusesByNumber.remove(event.number().phoneNumberId());
                    }
                } else {
                    requests.add(build(List.of(event), generation));
                }
            }
        }
        statusesByNumber.values().forEach(batch -> requests.add(build(batch, generation)));
        return requests;
    }

    private Delivery build(List<PlannedEvent> events, int generation) {
        BusinessNumber number = events.get(0).number();
        WebhookPayload.Metadata metadata = new WebhookPayload.Metadata(number.displayDigits(), number.phoneNumberId());
        WebhookPayload.Value value = events.get(0).isStatus()
                ? new WebhookPayload.Value("whatsapp", metadata, null, null,
                        events.stream().map(PlannedEvent::status).toList())
                : new WebhookPayload.Value("whatsapp", metadata, List.of(events.get(0).contact()),
                        List.of(events.get(0).message()), null);
        try {
            byte[] body = mapper.writeValueAsBytes(WebhookPayload.of(number.wabaId(), value));
            return new Delivery(System.nanoTime(), List.copyOf(events), body, 0, generation);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void send(Delivery request) {
        SimulationSettings.Webhooks config = settings.get().webhooks();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(config.url())
                .setConnectTimeout(config.timeoutMs())
                .setIdleTimeout(config.timeoutMs())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "facebookexternalua")
                .putHeader(WebhookSigner.HEADER, WebhookSigner.sign(request.body, appSecret));
        try {
            client.request(options)
                    .compose(req -> req.send(Buffer.buffer(request.body)))
                    .compose(resp -> resp.body().map(ignored -> resp.statusCode()))
                    .onComplete(result -> {
                        inFlight.release();
                        if (result.succeeded() && result.result() / 100 == 2) {
                            delivered(request);
                        } else {
                            failed(request, result.succeeded() ? "HTTP " + result.result() : String.valueOf(result.cause()));
                        }
                    });
        } catch (RuntimeException e) {
            inFlight.release();
            failed(request, e.toString());
        }
    }

    private void delivered(Delivery request) {
        if (endpointDown) {
            endpointDown = false;
            LOG.info("webhook endpoint answers again");
        }
        if (request.generation != stats.generation()) {
            return;
        }
        pending.addAndGet(-request.weight());
        for (PlannedEvent event : request.events) {
            if (!event.duplicate() && event.campaignId() != null) {
                stats.eventDelivered(request.generation, event.campaignId(), event.kind(), event.errorCode());
                if (event.message() != null) {
                    stats.inboundDelivered(request.generation, event.campaignId(), event.message());
                }
            }
        }
        stats.webhookDelivered(request.generation, request.events.size());
    }

    private void failed(Delivery request, String reason) {
        if (request.generation != stats.generation()) {
            return;
        }
        stats.webhookFailed(request.generation);
        if (!endpointDown) {
            endpointDown = true;
            LOG.warnf("webhook endpoint failed (%s); retrying with backoff", reason);
        }
        SimulationSettings.Webhooks config = settings.get().webhooks();
        int attempt = request.attempt + 1;
        long window = Math.min(config.retryMaxMs(), (long) config.retryInitialMs() << Math.min(attempt - 1, 20));
        long delay = window / 2 + ThreadLocalRandom.current().nextLong(window / 2 + 1);
        queue.add(new Delivery(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay), request.events, request.body,
                attempt, request.generation));
    }

    /** Events due at one moment, and once built, the exact bytes that go (and go again on a retry). */
    private static final class Delivery implements Delayed {
        final long dueAtNanos;
        final List<PlannedEvent> events;
        final byte[] body;
        final int attempt;
        final int generation;

        /** What it counts in {@code pending}: its events, or 1 for an account-level change. */
        int weight() {
            return events.isEmpty() ? 1 : events.size();
        }

        Delivery(long dueAtNanos, List<PlannedEvent> events, byte[] body, int attempt, int generation) {
            this.dueAtNanos = dueAtNanos;
            this.events = events;
            this.body = body;
            this.attempt = attempt;
            this.generation = generation;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueAtNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueAtNanos, ((Delivery) other).dueAtNanos);
        }
    }
}
