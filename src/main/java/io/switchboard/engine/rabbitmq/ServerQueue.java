package io.switchboard.engine.rabbitmq;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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
 * handed on as undelivered ({@link UndeliveredQueue}), never dropped silently and never requeued in a loop.
 */
@ApplicationScoped
public class ServerQueue {

    private static final Logger LOG = Logger.getLogger(ServerQueue.class);
    /** A list rather than an array: a native image instantiates no array type it was not told of. */
    static final TypeReference<List<Envelope>> ENVELOPES = new TypeReference<>() {
    };
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

    /** The exchange, and the queue, of messages whose instance is gone. */
    static String undelivered(SwitchboardConfig config) {
        return config.rabbitmq().exchange() + ".unroutable";
    }

    /**
     * Starts handling every envelope of the message, in order (a direct message is written to the devices at once),
     * and returns without waiting for them: one device that does not read holds up no other. The message is
     * acknowledged once every envelope was settled (a direct message proven read or stored), nacked if one failed,
     * which dead-letters the whole message: its envelopes are then handled as undelivered, those handled already a
     * second time (at least once, never lost). Until then it counts against the channel's
     * {@code max-outstanding-messages}, so a backlog waits in the queue, where its TTL and the takeover apply.
     */
    @Incoming("server-in")
    public Uni<Void> receive(Message<String> message) {
        List<Envelope> envelopes;
        try {
            envelopes = readAll(message.getPayload());
        } catch (IllegalArgumentException unreadable) {
            return Uni.createFrom().completionStage(message.nack(unreadable));
        }
        inbound.handler().chain(handler -> allSettled(envelopes, handler::onEnvelope)).subscribe().with(
                ok -> message.ack(),
                failure -> message.nack(failure));
        return Uni.createFrom().voidItem();
    }

    /** Starts handling each envelope in order, without waiting; completes once all are settled, failed if one failed. */
    static Uni<Void> allSettled(List<Envelope> envelopes, Function<Envelope, Uni<Void>> handle) {
        List<Uni<Void>> handled = envelopes.stream().map(handle).toList();
        return handled.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(handled).andCollectFailures().replaceWithVoid();
    }

    /** The instance a {@code server.<id>} routing key addresses, or null for another key. */
    static String serverOf(String routingKey) {
        return routingKey != null && routingKey.startsWith(ServerRoute.ROUTING_PREFIX)
                ? routingKey.substring(ServerRoute.ROUTING_PREFIX.length())
                : null;
    }

    /** Handles each envelope once the one before it was handled; stops at the first that fails. */
    static Uni<Void> inOrder(List<Envelope> envelopes, Function<Envelope, Uni<Void>> handle) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Envelope envelope : envelopes) {
            all = all.chain(() -> handle.apply(envelope));
        }
        return all;
    }

    /** The envelopes a message carries: one JSON envelope, or an array of them ({@link InstanceLane}). */
    List<Envelope> readAll(String json) {
        try {
            if (json.startsWith("[")) {
                return mapper.readValue(json, ENVELOPES);
            }
            return List.of(mapper.readValue(json, Envelope.class));
        } catch (JsonProcessingException e) {
            LOG.warnf("unreadable envelope rejected: %s", e.getOriginalMessage());
            throw new IllegalArgumentException("unreadable envelope", e);
        }
    }
}
