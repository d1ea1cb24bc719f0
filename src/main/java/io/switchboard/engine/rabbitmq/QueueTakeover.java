package io.switchboard.engine.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.InstanceId;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.engine.redis.ClusterLiveness;

/**
 * Stands in for a crashed instance within seconds, instead of after its heartbeat expires and its queue's messages
 * are dead-lettered. Every instance watches the instance before it in the ring of live instances (sorted by id):
 * when that one's queue has no consumer (RabbitMQ drops it the moment the instance's connection goes) and it
 * missed two heartbeats, this one consumes the queue, and what waits there, or is still routed there, is sent on to where its recipient is now,
 * or kept in the inbox; its heartbeat and sessions are removed at once, so nobody routes there any more and its
 * users show offline. The queues have one active consumer at a time, so a returning owner waits behind; seeing
 * it, this instance steps aside. A live instance, however busy, keeps its consumer and its messages. The
 * connector's channels are fixed at start, so this uses the RabbitMQ Java client with the connector's
 * connection settings ({@link ConnectorSettings}) on one thread of its own: the client blocks.
 */
@ApplicationScoped
public class QueueTakeover {

    private static final Logger LOG = Logger.getLogger(QueueTakeover.class);
    private static final int PREFETCH = 64;

    private final ClusterLiveness liveness;
    private final RabbitInstanceRoute route;
    private final InstanceQueues queues;
    private final String instanceId;
    private final SwitchboardConfig config;
    private final ConnectorSettings broker;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread named = new Thread(task, "switchboard-takeover");
        named.setDaemon(true);
        return named;
    });
    // confined to the thread above
    private Connection connection;
    private Channel probe;
    private Channel consume;
    /** The queues taken over, by the instance they belong to. */
    private final Map<String, Taken> taken = new HashMap<>();

    QueueTakeover(ClusterLiveness liveness, RabbitInstanceRoute route, InstanceQueues queues, InstanceId instanceId,
            SwitchboardConfig config, Config settings) {
        this.liveness = liveness;
        this.route = route;
        this.queues = queues;
        this.instanceId = instanceId.id();
        this.config = config;
        this.broker = new ConnectorSettings(settings, config.timeouts().backend());
    }

    /** Checks every {@code rabbitmq.takeover-check}; what it finds is acted on at once. */
    public void start() {
        long every = config.rabbitmq().takeoverCheck().toMillis();
        thread.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        thread.execute(this::disconnect);
        thread.shutdown();
    }

    private void check() {
        try {
            connect();
            String watched = predecessor();
            for (String instance : List.copyOf(taken.keySet())) {
                if (!instance.equals(watched)) {
                    watch(instance, false);
                }
            }
            if (watched != null) {
                watch(watched, true);
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debugf("takeover check failed, trying again: %s", e.getMessage());
            disconnect();
        }
    }

    /** The live instance just before this one in the ring of live instances, or null when this one is alone. */
    private String predecessor() {
        List<String> ring = new ArrayList<>(liveness.liveInstances());
        if (!ring.contains(instanceId)) {
            ring.add(instanceId);
        }
        ring.sort(null);
        if (ring.size() < 2) {
            return null;
        }
        int at = ring.indexOf(instanceId);
        return ring.get((at - 1 + ring.size()) % ring.size());
    }

    /** Looks at an instance's queue: the one this instance stands in for ({@code standsIn}), or one it still holds. */
    private void watch(String instance, boolean standsIn) throws IOException {
        String queue = queues.queueOf(instance);
        AMQP.Queue.DeclareOk state;
        try {
            state = probe.queueDeclarePassive(queue);
        } catch (IOException gone) {
            // no such queue (the broker closed the probe channel for it): nothing to stand in for
            taken.remove(instance);
            probe = connection.createChannel();
            return;
        }
        if (standsIn && !taken.containsKey(instance) && state.getConsumerCount() == 0 && overdue(instance)) {
            LOG.infof("instance %s lost its queue's consumer: taking over %s (%d waiting)", instance, queue,
                    state.getMessageCount());
            Forwarder forwarder = new Forwarder(instance);
            taken.put(instance, new Taken(consume.basicConsume(queue, false, forwarder), forwarder));
            liveness.declareGone(instance).subscribe().with(
                    purged -> LOG.infof("instance %s declared gone: %d of its sessions removed", instance, purged),
                    failure -> LOG.warnf("instance %s's sessions stay until its heartbeat expires: %s", instance,
                            failure.getMessage()));
        } else if (taken.containsKey(instance) && state.getConsumerCount() > 1) {
            release(instance, "its owner (or another instance) is back");
        } else if (taken.containsKey(instance) && !standsIn && taken.get(instance).quietFor(config.rabbitmq().undeliveredAfter())) {
            release(instance, "it was declared gone and its queue has been quiet since");
        }
    }

    /**
     * A queue without a consumer alone does not mean its instance died: after a RabbitMQ restart every queue is
     * briefly without one. Only an instance that also stopped beating is gone.
     */
    private boolean overdue(String instance) {
        return liveness.isOverdue(instance).await().atMost(config.timeouts().backend());
    }

    private void release(String instance, String why) {
        Taken queue = taken.remove(instance);
        try {
            consume.basicCancel(queue.consumerTag());
            LOG.infof("no longer standing in for %s: %s", instance, why);
        } catch (IOException e) {
            LOG.debugf("cancelling the takeover of %s: %s", instance, e.getMessage());
        }
    }

    private void connect() throws IOException, TimeoutException {
        if (connection != null && connection.isOpen() && probe.isOpen() && consume.isOpen()) {
            return;
        }
        disconnect();
        connection = broker.open("switchboard-takeover " + instanceId);
        probe = connection.createChannel();
        consume = connection.createChannel();
        consume.basicQos(PREFETCH);
    }

    private void disconnect() {
        taken.clear();
        if (connection != null) {
            try {
                connection.close(1000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing the takeover connection: %s", e.getMessage());
            }
        }
        connection = null;
    }

    /**
     * A queue taken over. Once its instance is declared gone nobody looks it up any more, but a sender that did
     * just before may still publish to it: the queue is held until it has been quiet for {@code
     * undelivered-after}, so such a message is forwarded at once instead of waiting that long to be dead-lettered.
     */
    private record Taken(String consumerTag, Forwarder forwarder) {

        boolean quietFor(Duration quiet) {
            return System.nanoTime() - forwarder.lastDelivery >= quiet.toNanos();
        }
    }

    /** Sends on what arrives in a taken queue; acknowledged once it reached a device or the inbox. */
    private final class Forwarder extends DefaultConsumer {

        private final String lostInstance;
        /** Written by the client's consumer thread, read by the check. */
        private volatile long lastDelivery = System.nanoTime();

        Forwarder(String lostInstance) {
            super(consume);
            this.lostInstance = lostInstance;
        }

        @Override
        public void handleDelivery(String tag, Envelope delivery, AMQP.BasicProperties properties, byte[] body) {
            lastDelivery = System.nanoTime();
            long deliveryTag = delivery.getDeliveryTag();
            Channel channel = getChannel();
            String json = new String(body, StandardCharsets.UTF_8);
            Uni.createFrom().deferred(() -> InstanceQueues.inOrder(route.readAll(json),
                            envelope -> route.undelivered(envelope, lostInstance)))
                    .subscribe().with(
                            ok -> thread.execute(() -> settle(channel, deliveryTag, true)),
                            failure -> {
                                LOG.warnf("a message taken over from %s goes back to be dead-lettered: %s", lostInstance,
                                        failure.getMessage());
                                thread.execute(() -> settle(channel, deliveryTag, false));
                            });
        }

        private void settle(Channel channel, long deliveryTag, boolean handled) {
            try {
                if (handled) {
                    channel.basicAck(deliveryTag, false);
                } else {
                    channel.basicNack(deliveryTag, false, false);
                }
            } catch (IOException | RuntimeException e) {
                // the channel is gone: the message is redelivered to whoever consumes the queue next
                LOG.debugf("settling a message taken over from %s: %s", lostInstance, e.getMessage());
            }
        }
    }
}
