package io.switchboard.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Switchboard's meters, published at {@code /q/metrics}. Tags stay low-cardinality: frame types, error and close
 * codes, backend names; never user or room ids. README lists every meter.
 */
@ApplicationScoped
public class ChatMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer deliveryLatency;

    public ChatMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.deliveryLatency = Timer.builder("switchboard.delivery.latency")
                .description("From a room message being stored to its write to a local connection")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /** Registers a gauge read from {@code value} at each scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
    }

    public void frameIn(String type) {
        counter("switchboard.frames.in", "type", type).increment();
    }

    public void framesOut(String type, int count) {
        if (count > 0) {
            counter("switchboard.frames.out", "type", type).increment(count);
        }
    }

    public void published() {
        counter("switchboard.messages.published", null, null).increment();
    }

    /** A room message written to {@code connections} local connections, stored at {@code storedAtMillis}. */
    public void delivered(int connections, long storedAtMillis) {
        if (connections > 0) {
            counter("switchboard.messages.delivered", null, null).increment(connections);
            deliveryLatency.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - storedAtMillis)));
        }
    }

    public void error(String code) {
        counter("switchboard.errors", "code", code).increment();
    }

    /** Close codes a client may choose (3000–4999) are bucketed, so they cannot make a series each. */
    public void closed(int code) {
        counter("switchboard.closes", "code", closeTag(code)).increment();
    }

    static String closeTag(int code) {
        if (code >= 1000 && code <= 1015) {
            return String.valueOf(code);
        }
        if (code >= 3000 && code <= 4999) {
            return code < 4000 ? "3xxx" : "4xxx";
        }
        return "other";
    }

    public void backendFailure(String backend) {
        counter("switchboard.backend.failures", "backend", backend).increment();
    }

    /** One RabbitMQ message published to an instance's queue, carrying {@code envelopes} envelopes. */
    public void routedToInstance(int envelopes) {
        counter("switchboard.route.publishes", null, null).increment();
        counter("switchboard.route.envelopes", null, null).increment(envelopes);
    }

    /** Undelivered envelopes that failed past their retries and wait in the parking queue for an operator. */
    public void envelopesParked(int envelopes) {
        counter("switchboard.envelopes.parked", null, null).increment(envelopes);
    }

    public void inboxStored() {
        counter("switchboard.inbox.stored", null, null).increment();
    }

    public void inboxDelivered(int messages) {
        if (messages > 0) {
            counter("switchboard.inbox.delivered", null, null).increment(messages);
        }
    }

    private Counter counter(String name, String tag, String value) {
        String key = tag == null ? name : name + '|' + value;
        return counters.computeIfAbsent(key, k -> tag == null ? registry.counter(name) : registry.counter(name, tag, value));
    }
}
