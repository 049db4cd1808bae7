package io.wacast.sender.client;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.wacast.common.event.SendJob;
import io.wacast.sender.config.MetaConfig;
import io.wacast.sender.config.SenderConfig;

/**
 * The one door to Meta's send endpoint. It owns the resilience around the call (a circuit breaker
 * per business number, timeouts) and never throws: every call ends in a {@link MetaAnswer}. There is
 * deliberately no automatic retry here; retries are new attempts recorded in the send ledger.
 */
@ApplicationScoped
public class MetaGraphClient implements MetaSender {

    private static final Logger LOG = Logger.getLogger(MetaGraphClient.class);

    private final GraphTransport transport;
    private final ObjectMapper json;
    private final SenderConfig sender;
    private final Clock clock;
    private final ConcurrentHashMap<String, NumberBreaker> breakers = new ConcurrentHashMap<>();
    private final Timer latency;
    private final Counter sends;
    private final java.util.Map<Endpoint, Counter> callsByEndpoint = new java.util.EnumMap<>(Endpoint.class);
    private final Timer departureLag;
    private final FireWindow fireWindow = new FireWindow();
    private final MeterRegistry registry;

    public MetaGraphClient(MetaConfig meta, SenderConfig sender, MeterRegistry registry, Vertx vertx, ObjectMapper json) {
        this.json = json;
        this.transport = new GraphTransport(vertx, meta, sender.maxInFlight());
        this.sender = sender;
        this.clock = Clock.systemUTC();
        this.registry = registry;
        this.latency = Timer.builder("wacast.sender.meta.call.latency")
                .description("Time from a call leaving to Meta's answer")
                .publishPercentileHistogram()
                .register(registry);
        this.sends = Counter.builder("wacast.sender.sends").description("Calls that left for Meta").register(registry);
        for (Endpoint endpoint : Endpoint.values()) {
            callsByEndpoint.put(endpoint, Counter.builder("wacast.sender.meta.calls")
                    .description("Calls that left for Meta, by endpoint (messages, marketing_messages)")
                    .tag("endpoint", endpoint.path()).register(registry));
        }
        this.departureLag = Timer.builder("wacast.sender.departure.lag")
                .description("How late after its slot of the shared schedule a call left")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("wacast.sender.calls.max.per.second", fireWindow, FireWindow::max)
                .description("The most calls this replica sent in any sliding one-second window since it started")
                .register(registry);
    }

    /**
     * Calls Meta for {@code job}, taken at {@code slotUs} of its number's schedule (epoch µs), unless the
     * call cannot leave by {@code leaveByUs}: then nothing is sent and the answer is
     * {@link MetaAnswer.MissedSlot}.
     */
    @Override
    public CompletableFuture<MetaAnswer> send(SendJob job, Endpoint endpoint, long slotUs, long leaveByUs) {
        Instant now = clock.instant();
        NumberBreaker breaker = breaker(job.phoneNumberId());
        Instant rejectUntil = breaker.rejectUntil(now);
        if (rejectUntil != null) {
            return CompletableFuture.completedFuture(new MetaAnswer.BreakerOpen(rejectUntil));
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(TemplateMessage.body(job));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
        // when the call left: handed on ahead of its slot, it waits for it first (both on the event loop)
        long[] started = {System.nanoTime()};
        Counter calls = callsByEndpoint.get(endpoint);
        return transport.post(job.phoneNumberId(), endpoint, body, slotUs, leaveByUs, lateUs -> {
            started[0] = System.nanoTime();
            calls.increment();
            departed(lateUs);
        }).whenComplete((answer, failure) -> {
            if (answer instanceof MetaAnswer.MissedSlot) {
                return; // never left: neither a call to time nor news for the breaker
            }
            latency.record(System.nanoTime() - started[0], TimeUnit.NANOSECONDS);
            if (isTransientFailure(answer)) {
                if (breaker.onFailure(clock.instant())) {
                    registry.counter("wacast.sender.breaker.opened", "phone_number_id", job.phoneNumberId()).increment();
                    LOG.warnf("circuit breaker opened for number %s after %d consecutive transient failures",
                            job.phoneNumberId(), sender.circuitBreaker().failureThreshold());
                }
            } else {
                breaker.onSuccess();
            }
        });
    }

    private void departed(long lateUs) {
        sends.increment();
        fireWindow.fired(System.nanoTime());
        departureLag.record(lateUs, TimeUnit.MICROSECONDS);
    }

    private NumberBreaker breaker(String phoneNumberId) {
        return breakers.computeIfAbsent(phoneNumberId, id -> new NumberBreaker(
                sender.circuitBreaker().failureThreshold(), sender.circuitBreaker().openFor()));
    }

    static boolean isTransientFailure(MetaAnswer answer) {
        return answer instanceof MetaAnswer.NotSent
                || answer instanceof MetaAnswer.Unanswered
                || answer instanceof MetaAnswer.Rejected rejected && rejected.httpStatus() >= 500;
    }

    @PreDestroy
    void close() {
        transport.close();
    }
}
