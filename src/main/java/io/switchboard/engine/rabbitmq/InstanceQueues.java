package io.switchboard.engine.rabbitmq;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.switchboard.bus.Envelope;
import io.switchboard.config.SwitchboardConfig;

/**
 * The names and arguments of the RabbitMQ routes to instances: each instance has its own queue, bound to the topic
 * exchange with routing key {@code server.<id>}, and the undelivered queue takes what no instance did. Messages
 * land there when no queue is bound to their routing key (the exchange's alternate exchange) or when they waited
 * in a queue nobody consumes for longer than {@code switchboard.rabbitmq.undelivered-after} (dead-lettering):
 * either way their instance is gone. They are handed on as undelivered ({@link UndeliveredQueue}), never dropped
 * silently and never requeued in a loop.
 */
@ApplicationScoped
public class InstanceQueues {

    static final String ROUTING_PREFIX = "server.";

    private final String exchange;

    InstanceQueues(SwitchboardConfig config) {
        this.exchange = config.rabbitmq().exchange();
    }

    /** The queue of an instance, as {@code mp.messaging.incoming.instance-in.queue.name} names it. */
    String queueOf(String instanceId) {
        return exchange + ".server." + instanceId;
    }

    /** The routing key that addresses an instance. */
    static String routingKeyOf(String instanceId) {
        return ROUTING_PREFIX + instanceId;
    }

    /** The instance a {@code server.<id>} routing key addresses, or null for another key. */
    static String instanceOf(String routingKey) {
        return routingKey != null && routingKey.startsWith(ROUTING_PREFIX)
                ? routingKey.substring(ROUTING_PREFIX.length())
                : null;
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
    @Identifier("switchboard-instance-queue")
    Map<String, Object> instanceQueueArguments(SwitchboardConfig config) {
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

    /** Handles each envelope once the one before it was handled; stops at the first that fails. */
    static Uni<Void> inOrder(List<Envelope> envelopes, Function<Envelope, Uni<Void>> handle) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Envelope envelope : envelopes) {
            all = all.chain(() -> handle.apply(envelope));
        }
        return all;
    }
}
