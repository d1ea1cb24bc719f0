package io.switchboard.engine.rabbitmq;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
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
    private final String exchange;

    ServerQueue(InboundRelay inbound, ObjectMapper mapper, SwitchboardConfig config) {
        this.inbound = inbound;
        this.mapper = mapper;
        this.exchange = config.rabbitmq().exchange();
    }

    /** The queue of an instance, as {@code mp.messaging.incoming.server-in.queue.name} names it. */
    String queueOf(String serverId) {
        return exchange + ".server." + serverId;
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
        // one consumer at a time: the instance itself, or while it is gone, the one taking over (QueueTakeover)
        return Map.of("x-message-ttl", ttl,
                "x-dead-letter-exchange", undelivered(config),
                "x-expires", Math.max(ttl * 6, config.rabbitmq().idleQueueExpiry().toMillis()),
                "x-single-active-consumer", true);
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

    /** Acknowledged once retried or kept, whatever the outcome: a message that fails here is not requeued in a loop. */
    @Incoming("unroutable")
    public Uni<Void> unroutable(Message<String> message) {
        String lostServer = message.getMetadata(IncomingRabbitMQMetadata.class)
                .map(IncomingRabbitMQMetadata::getRoutingKey).map(ServerQueue::serverOf).orElse(null);
        return Uni.createFrom().item(() -> read(message.getPayload()))
                .chain(envelope -> inbound.handler().chain(handler -> handler.onUndelivered(envelope, lostServer)))
                .onItemOrFailure().transformToUni((ok, failure) -> {
                    if (failure != null) {
                        LOG.errorf(failure, "an undelivered envelope for %s was dropped", lostServer);
                    }
                    return Uni.createFrom().completionStage(message.ack());
                });
    }

    /** The instance a {@code server.<id>} routing key addresses, or null for another key. */
    static String serverOf(String routingKey) {
        return routingKey != null && routingKey.startsWith(ServerRoute.ROUTING_PREFIX)
                ? routingKey.substring(ServerRoute.ROUTING_PREFIX.length())
                : null;
    }

    Envelope read(String json) {
        try {
            return mapper.readValue(json, Envelope.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("unreadable envelope rejected: %s", e.getOriginalMessage());
            throw new IllegalArgumentException("unreadable envelope", e);
        }
    }
}
