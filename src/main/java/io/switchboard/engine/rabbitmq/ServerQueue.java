package io.switchboard.engine.rabbitmq;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Identifier;
import io.switchboard.broker.Envelope;
import io.smallrye.mutiny.Uni;
import io.switchboard.engine.InboundRelay;
import io.switchboard.config.SwitchboardConfig;

/**
 * What RabbitMQ delivers to this instance: its own queue (bound to {@code server.<id>}), and its share of the
 * undelivered queue. Messages land there when no queue is bound to their routing key (the exchange's
 * alternate exchange) or when they waited in a queue nobody consumes for longer than
 * {@code switchboard.rabbitmq.undelivered-after} (dead-lettering): either way their instance is gone. They are
 * handed on as undelivered, never dropped silently and never requeued in a loop.
 */
@ApplicationScoped
public class ServerQueue {

    private static final Logger LOG = Logger.getLogger(ServerQueue.class);
    private final InboundRelay inbound;
    private final ObjectMapper mapper;

    ServerQueue(InboundRelay inbound, ObjectMapper mapper) {
        this.inbound = inbound;
        this.mapper = mapper;
    }

    /** Arguments of the topic exchange, the same for every channel that declares it. */
    @Produces
    @Identifier("switchboard-exchange")
    Map<String, Object> exchangeArguments(SwitchboardConfig config) {
        return Map.of("alternate-exchange", undelivered(config));
    }

    /**
     * Arguments of an instance's queue: a message nobody took in time is dead-lettered to the undelivered
     * exchange (the queue of a crashed or cut-off instance keeps nothing), and an unused queue goes away.
     */
    @Produces
    @Identifier("switchboard-server-queue")
    Map<String, Object> serverQueueArguments(SwitchboardConfig config) {
        long ttl = config.rabbitmq().undeliveredAfter().toMillis();
        // a queue must outlive the messages waiting in it, or they vanish with it instead of being dead-lettered
        return Map.of("x-message-ttl", ttl,
                "x-dead-letter-exchange", undelivered(config),
                "x-expires", Math.max(ttl * 6, config.rabbitmq().idleQueueExpiry().toMillis()));
    }

    private static String undelivered(SwitchboardConfig config) {
        return config.rabbitmq().exchange() + ".unroutable";
    }

    /** Acknowledged once the envelope was handled (a direct message delivered or stored), nacked if that failed. */
    @Incoming("server-in")
    public Uni<Void> receive(String json) {
        Envelope envelope = read(json);
        return inbound.handler().chain(handler -> handler.onEnvelope(envelope));
    }

    @Incoming("unroutable")
    public Uni<Void> unroutable(String json) {
        Envelope envelope = read(json);
        return inbound.handler().chain(handler -> handler.onUndelivered(envelope));
    }

    private Envelope read(String json) {
        try {
            return mapper.readValue(json, Envelope.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("unreadable envelope rejected: %s", e.getOriginalMessage());
            throw new IllegalArgumentException("unreadable envelope", e);
        }
    }
}
