package io.switchboard.engine.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.switchboard.broker.InboundHandler;
import io.switchboard.broker.RoomEvent;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.engine.InboundRelay;
import io.switchboard.metrics.ChatMetrics;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.ResponseType;

/**
 * This instance's room subscriptions, on sharded channels (SSUBSCRIBE): one dedicated connection per Redis node
 * that owns channels this instance hears (a single one on a standalone Redis), each channel on the node that owns
 * its slot. The Vert.x client resubscribes nothing by itself, so this does, on every sign that a channel moved:
 * a node connection lost (its channels go where their slots live now, the same node again on a standalone Redis),
 * a {@code sunsubscribe} pushed for a channel still wanted (a slot moved or a master stepped down), and, on a
 * cluster, a look at the slot map every {@code redis.topology-check}. The node's {@code RoomSubscriptions} sends
 * one command per room at a time, so a channel's place changes in the order its commands were sent. Only
 * subscribe commands go on these connections: a reply to anything else could be taken for a push.
 */
@ApplicationScoped
public class RoomChannels {

    private static final Logger LOG = Logger.getLogger(RoomChannels.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private final RedisTopology topology;
    private final RedisKeys keys;
    private final InboundRelay inbound;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final ChatMetrics metrics;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private long checker = -1;

    RoomChannels(RedisTopology topology, RedisKeys keys, InboundRelay inbound, ObjectMapper mapper, Vertx vertx,
            ChatMetrics metrics, SwitchboardConfig config) {
        this.topology = topology;
        this.keys = keys;
        this.inbound = inbound;
        this.mapper = mapper;
        this.vertx = vertx;
        this.metrics = metrics;
        if (topology.isCluster()) {
            this.checker = vertx.setPeriodic(config.redis().topologyCheck().toMillis(), id -> recheck());
        }
    }

    /** Completes once Redis confirmed the subscription, so a caller that waits cannot miss the next message. */
    public Uni<Void> subscribe(String room) {
        String channel = keys.roomChannel(room);
        wanted.add(channel);
        return ownerOf(channel).chain(node -> node.subscribe(channel));
    }

    public Uni<Void> unsubscribe(String room) {
        String channel = keys.roomChannel(room);
        wanted.remove(channel);
        List<Uni<Void>> sent = new ArrayList<>();
        nodes.values().stream().filter(node -> node.channels.contains(channel))
                .forEach(node -> sent.add(node.unsubscribe(channel)));
        return sent.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sent).andFailFast().replaceWithVoid();
    }

    private Uni<Node> ownerOf(String channel) {
        return topology.current().chain(current -> {
            String owner = current.ownerOf(channel);
            if (owner == null) {
                return Uni.createFrom().failure(new IllegalStateException("no Redis node serves " + channel + " now"));
            }
            return Uni.createFrom().item(nodes.computeIfAbsent(owner, Node::new));
        });
    }

    /** Reads the slot map again and puts every wanted channel where its slot lives now. */
    private void recheck() {
        topology.read().subscribe().with(current -> {
            for (Node node : List.copyOf(nodes.values())) {
                for (String channel : List.copyOf(node.channels)) {
                    if (!node.uri.equals(current.ownerOf(channel))) {
                        LOG.infof("channel %s moved from %s: subscribing where it lives now", channel, node.uri);
                        node.unsubscribe(channel).subscribe().with(ok -> relocate(Set.of(channel)),
                                failure -> relocate(Set.of(channel)));
                    }
                }
            }
        }, failure -> LOG.debugf("Redis slot map not read: %s", failure.getMessage()));
    }

    /** Subscribes the channels (those still wanted) where their slots live, retrying until Redis lets it. */
    private void relocate(Set<String> channels) {
        topology.forget();
        List<Uni<Void>> moves = new ArrayList<>();
        channels.stream().filter(wanted::contains).forEach(channel -> moves.add(ownerOf(channel)
                .chain(node -> node.subscribe(channel))));
        if (moves.isEmpty()) {
            return;
        }
        Uni.join().all(moves).andFailFast()
                .onFailure().invoke(topology::forget)
                .onFailure().retry().withBackOff(FIRST_RETRY, LAST_RETRY).indefinitely()
                .subscribe().with(ok -> LOG.infof("%d room channels subscribed again", moves.size()),
                        failure -> LOG.errorf("room channels not subscribed again: %s", failure.getMessage()));
    }

    private void onPush(Node node, Response push) {
        if (push.type() == ResponseType.ERROR) {
            // a MOVED or CLUSTERDOWN for a subscribe, which gets no reply of its own
            LOG.debugf("Redis node %s refused a subscription: %s", node.uri, push);
            relocate(Set.copyOf(node.channels));
            return;
        }
        if (push.size() < 3) {
            return;
        }
        String kind = push.get(0).toString();
        String channel = push.get(1) == null ? null : push.get(1).toString();
        switch (kind) {
            case "smessage" -> deliver(channel, push.get(2).toString());
            case "ssubscribe" -> node.confirmed(channel);
            case "sunsubscribe" -> {
                // sent by Redis itself when the channel's slot left this node: still wanted means it moved
                if (channel != null && node.channels.remove(channel) && wanted.contains(channel)) {
                    relocate(Set.of(channel));
                }
            }
            default -> {
            }
        }
    }

    private void deliver(String channel, String payload) {
        String room = channel == null ? null : keys.roomOfChannel(channel);
        InboundHandler handler = inbound.current();
        if (room == null || payload.isEmpty() || handler == null) {
            return;
        }
        if (payload.charAt(0) == RoomLog.MESSAGE) {
            handler.onRoomMessage(RoomLog.fromChannel(room, payload.substring(1)));
        } else if (payload.charAt(0) == RoomLog.EVENT) {
            try {
                handler.onRoomEvent(mapper.readValue(payload.substring(1), RoomEvent.class));
            } catch (JsonProcessingException e) {
                LOG.warnf("unreadable room event on %s dropped", room);
            }
        }
    }

    @PreDestroy
    void close() {
        if (checker >= 0) {
            vertx.cancelTimer(checker);
        }
        nodes.values().forEach(Node::close);
    }

    /** One node's subscriber connection and the channels subscribed on it. */
    private final class Node {

        final String uri;
        final Set<String> channels = ConcurrentHashMap.newKeySet();
        private final Redis client;
        private final Uni<RedisConnection> connection;
        private final Map<String, List<UniEmitter<? super Void>>> confirming = new ConcurrentHashMap<>();
        private volatile boolean lost;

        Node(String uri) {
            this.uri = uri;
            this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(uri).setMaxPoolSize(1)
                    .setMaxPoolWaiting(16));
            this.connection = client.connect()
                    .invoke(c -> c.handler(push -> onPush(this, push))
                            .exceptionHandler(failure -> lost(failure.getMessage()))
                            .endHandler(() -> lost("closed")))
                    .onFailure().invoke(failure -> lost(failure.getMessage()))
                    .memoize().indefinitely();
        }

        /** Waits for Redis's {@code ssubscribe} push, the only answer a subscribe gets; listened for before sending. */
        Uni<Void> subscribe(String channel) {
            channels.add(channel);
            return Uni.createFrom().emitter(waiter -> {
                confirming.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(waiter);
                waiter.onTermination(() -> confirming.computeIfPresent(channel, (c, waiting) -> {
                    waiting.remove(waiter);
                    return waiting.isEmpty() ? null : waiting;
                }));
                connection.chain(c -> c.send(Request.cmd(Command.SSUBSCRIBE).arg(channel)))
                        .subscribe().with(sent -> LOG.tracef("subscribing to %s on %s", channel, uri), waiter::fail);
            });
        }

        Uni<Void> unsubscribe(String channel) {
            channels.remove(channel);
            return connection.chain(c -> c.send(Request.cmd(Command.SUNSUBSCRIBE).arg(channel))).replaceWithVoid();
        }

        void confirmed(String channel) {
            List<UniEmitter<? super Void>> waiting = confirming.remove(channel);
            if (waiting != null) {
                List.copyOf(waiting).forEach(waiter -> waiter.complete(null));
            }
        }

        /** The connection is gone: its channels go where their slots live now (maybe a new master). */
        private synchronized void lost(String why) {
            if (lost) {
                return; // the exception and the end of one connection both land here
            }
            lost = true;
            nodes.remove(uri, this);
            metrics.backendFailure("redis");
            LOG.warnf("Redis subscriber connection to %s lost (%s): subscribing to %d rooms again", uri, why,
                    channels.size());
            confirming.values().forEach(waiting -> List.copyOf(waiting)
                    .forEach(waiter -> waiter.fail(new IllegalStateException("subscriber connection lost"))));
            close();
            relocate(Set.copyOf(channels));
        }

        void close() {
            client.close();
        }
    }
}
