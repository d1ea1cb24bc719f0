package io.switchboard.engine.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.switchboard.bus.RoomListener;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.metrics.ChatMetrics;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * This instance's room subscriptions, on sharded channels (SSUBSCRIBE): one dedicated connection per Redis node
 * that owns channels this instance hears (a single one on a standalone Redis), each channel on the node that owns
 * its slot, made with the platform's Redis options ({@link RedisPlatformOptions}). The Vert.x client resubscribes
 * nothing by itself, so this does. Each node has one recovery loop: when its connection ends it reconnects with a
 * bounded backoff, however long Redis refuses, and then subscribes every channel it holds once, a batch at a
 * time. A channel goes where its slot lives now when Redis says it moved (a {@code sunsubscribe} it did not ask
 * for, an error for a subscribe) and, on a cluster, after a look at the slot map every
 * {@code redis.topology-check}. A channel heard again after such a gap is reported to the
 * listener ({@link RoomListener#resumed}) so that it catches up from the room's stream.
 * {@code RoomSubscriptions} sends one command per room at a time. Only subscribe commands go on these
 * connections: a reply to anything else could be taken for a push.
 */
@ApplicationScoped
public class ShardedChannels {

    private static final Logger LOG = Logger.getLogger(ShardedChannels.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    /** Subscribe commands sent at once when a connection comes back, before waiting for their confirmations. */
    static final int BATCH = 100;

    private final RedisTopology topology;
    private final RedisKeys keys;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final ChatMetrics metrics;
    /** Null until registered: nothing is subscribed before. */
    private volatile RoomListener listener;
    private final RedisPlatformOptions platform;
    private final Duration confirmTimeout;
    /** Channels this instance hears, each with whether it was heard yet: heard again, it may have missed some. */
    private final Map<String, Boolean> wanted = new ConcurrentHashMap<>();
    /** Wanted channels that left their node (their slot moved) and wait for the slot map to place them. */
    private final Set<String> homeless = ConcurrentHashMap.newKeySet();
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final AtomicBoolean recheckScheduled = new AtomicBoolean();
    private long checker = -1;

    ShardedChannels(RedisTopology topology, RedisKeys keys, ObjectMapper mapper, Vertx vertx,
            ChatMetrics metrics, RedisPlatformOptions platform, SwitchboardConfig config) {
        this.topology = topology;
        this.keys = keys;
        this.mapper = mapper;
        this.vertx = vertx;
        this.metrics = metrics;
        this.platform = platform;
        this.confirmTimeout = config.timeouts().backend();
        if (topology.isCluster()) {
            this.checker = vertx.setPeriodic(config.redis().topologyCheck().toMillis(), id -> recheck());
        }
    }

    void listen(RoomListener listener) {
        this.listener = listener;
    }

    /** Completes once Redis confirmed the subscription, so a caller that waits cannot miss the next message. */
    public Uni<Void> subscribe(String room) {
        String channel = keys.roomChannel(room);
        wanted.putIfAbsent(channel, false);
        return topology.current().chain(current -> {
            String owner = current.ownerOf(channel);
            if (owner == null) {
                return Uni.createFrom().failure(new IllegalStateException("no Redis node serves " + channel + " now"));
            }
            return node(owner).subscribe(channel);
        });
    }

    public Uni<Void> unsubscribe(String room) {
        String channel = keys.roomChannel(room);
        wanted.remove(channel);
        homeless.remove(channel);
        nodes.values().forEach(node -> node.drop(channel));
        return Uni.createFrom().voidItem();
    }

    private Node node(String uri) {
        return nodes.computeIfAbsent(uri, Node::new);
    }

    /** Reads the slot map again soon, once however many signs asked for it. */
    private void scheduleRecheck(Duration delay) {
        if (recheckScheduled.compareAndSet(false, true)) {
            vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
                recheckScheduled.set(false);
                recheck();
            });
        }
    }

    /** Reads the slot map and puts every wanted channel where its slot lives now. */
    private void recheck() {
        topology.forget();
        topology.read().subscribe().with(this::place, failure -> {
            LOG.debugf("Redis slot map not read: %s", failure.getMessage());
            scheduleRecheck(LAST_RETRY);
        });
    }

    private void place(RedisTopology.Slots current) {
        nodes.values().forEach(node -> node.moveMisplaced(current));
        for (String channel : List.copyOf(homeless)) {
            String owner = current.ownerOf(channel);
            if (owner != null && homeless.remove(channel) && wanted.containsKey(channel)) {
                node(owner).keep(channel);
            }
        }
        if (!homeless.isEmpty()) {
            scheduleRecheck(LAST_RETRY); // some slot has no master yet (mid-failover)
        }
    }

    private void onPush(Node node, Response push) {
        if (push.type() == ResponseType.ERROR) {
            // a MOVED or CLUSTERDOWN for a subscribe, which gets no reply of its own
            LOG.debugf("Redis node %s refused a subscription: %s", node.uri, push);
            scheduleRecheck(FIRST_RETRY);
            return;
        }
        if (push.size() < 3) {
            return;
        }
        String kind = push.get(0).toString();
        String channel = push.get(1) == null ? null : push.get(1).toString();
        if (channel == null) {
            return;
        }
        switch (kind) {
            case "smessage" -> deliver(channel, push.get(2).toString());
            case "ssubscribe" -> {
                if (node.confirmed(channel) && Boolean.TRUE.equals(wanted.replace(channel, true))) {
                    resumed(channel);
                }
            }
            case "sunsubscribe" -> {
                // unless asked for, sent by Redis itself when the channel's slot left this node: it moved
                if (node.leftUnasked(channel) && wanted.containsKey(channel)) {
                    homeless.add(channel);
                    scheduleRecheck(FIRST_RETRY);
                }
            }
            default -> {
            }
        }
    }

    private void resumed(String channel) {
        String room = keys.roomOfChannel(channel);
        RoomListener heard = listener;
        if (room != null && heard != null) {
            heard.resumed(room);
        }
    }

    private void deliver(String channel, String push) {
        String room = keys.roomOfChannel(channel);
        RoomListener heard = listener;
        if (room != null && heard != null) {
            RoomStream.read(room, push, mapper, heard);
        }
    }

    @PreDestroy
    void close() {
        if (checker >= 0) {
            vertx.cancelTimer(checker);
        }
        nodes.values().forEach(Node::retire);
    }

    /**
     * One node's subscriber connection and the channels this instance hears there. While the connection is down,
     * the channels stay and new ones wait; the one recovery loop brings them all back. A node of a cluster that
     * lost its slots keeps its (idle) entry: there is one per master address seen.
     */
    private final class Node {

        final String uri;
        /** The channels that belong here, heard or not. */
        final Set<String> channels = ConcurrentHashMap.newKeySet();
        /** On the current connection: subscribe sent and not confirmed yet, and confirmed. */
        private final Set<String> sent = ConcurrentHashMap.newKeySet();
        private final Set<String> heard = ConcurrentHashMap.newKeySet();
        /** Unsubscribes sent on the current connection, whose {@code sunsubscribe} is this instance's own. */
        private final Set<String> leaving = ConcurrentHashMap.newKeySet();
        private final Map<String, List<UniEmitter<? super Void>>> confirming = new ConcurrentHashMap<>();
        private final Redis client;
        /** Null while down. */
        private volatile RedisConnection connection;
        private boolean recovering;
        /** Shut down with the application. */
        private boolean retired;
        private Duration backoff = FIRST_RETRY;

        Node(String uri) {
            this.uri = uri;
            this.client = Redis.createClient(vertx, platform.forNode(uri));
            recover(Duration.ZERO);
        }

        /** Waits for Redis's {@code ssubscribe} push, the only answer a subscribe gets; listened for before sending. */
        Uni<Void> subscribe(String channel) {
            keep(channel);
            return heard(channel);
        }

        /** The channel belongs here from now on: subscribed at once if the connection is up, else on recovery. */
        void keep(String channel) {
            channels.add(channel);
            RedisConnection current = connection;
            if (current != null) {
                send(current, channel);
            } else {
                recover(Duration.ZERO); // a node left idle has no loop running
            }
        }

        private void send(RedisConnection current, String channel) {
            if (heard.contains(channel) || !sent.add(channel)) {
                return;
            }
            current.send(Request.cmd(Command.SSUBSCRIBE).arg(channel)).subscribe().with(
                    ok -> LOG.tracef("subscribing to %s on %s", channel, uri),
                    failure -> LOG.debugf("subscribe to %s on %s not sent: %s", channel, uri, failure.getMessage()));
        }

        /** Completes once the channel is confirmed on the current connection, however long that takes. */
        private Uni<Void> heard(String channel) {
            return Uni.createFrom().emitter(waiter -> {
                confirming.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(waiter);
                waiter.onTermination(() -> confirming.computeIfPresent(channel, (c, waiting) -> {
                    waiting.remove(waiter);
                    return waiting.isEmpty() ? null : waiting;
                }));
                if (heard.contains(channel)) {
                    waiter.complete(null);
                }
            });
        }

        /** Redis confirmed the channel here; false when it no longer belongs here. */
        boolean confirmed(String channel) {
            sent.remove(channel);
            if (!channels.contains(channel)) {
                return false;
            }
            heard.add(channel);
            List<UniEmitter<? super Void>> waiting = confirming.remove(channel);
            if (waiting != null) {
                List.copyOf(waiting).forEach(waiter -> waiter.complete(null));
            }
            return true;
        }

        /** Whether a {@code sunsubscribe} took a channel this instance did not unsubscribe from here. */
        boolean leftUnasked(String channel) {
            if (leaving.remove(channel)) {
                return false;
            }
            heard.remove(channel);
            sent.remove(channel);
            return channels.remove(channel);
        }

        /** The channel no longer belongs here: unsubscribed, and whoever waits for it here is told. */
        void drop(String channel) {
            if (!channels.remove(channel)) {
                return;
            }
            boolean subscribed = heard.remove(channel) | sent.remove(channel);
            RedisConnection current = connection;
            if (subscribed && current != null) {
                leaving.add(channel);
                current.send(Request.cmd(Command.SUNSUBSCRIBE).arg(channel)).subscribe().with(
                        ok -> LOG.tracef("unsubscribing from %s on %s", channel, uri),
                        failure -> LOG.debugf("unsubscribe from %s on %s not sent: %s", channel, uri,
                                failure.getMessage()));
            }
            List<UniEmitter<? super Void>> waiting = confirming.remove(channel);
            if (waiting != null) {
                List.copyOf(waiting).forEach(waiter -> waiter.fail(new IllegalStateException(channel + " moved")));
            }
        }

        /** Sends the channels whose slot another node owns now to that node. */
        void moveMisplaced(RedisTopology.Slots current) {
            for (String channel : List.copyOf(channels)) {
                String owner = current.ownerOf(channel);
                if (owner != null && !owner.equals(uri)) {
                    LOG.infof("channel %s moved from %s to %s: subscribing there", channel, uri, owner);
                    drop(channel);
                    if (wanted.containsKey(channel)) {
                        node(owner).keep(channel);
                    }
                }
            }
        }

        /** The connection ended: the one recovery loop starts, unless it runs already. */
        private void lost(RedisConnection gone, String why) {
            synchronized (this) {
                if (connection != gone) {
                    return; // the exception and the end of one connection both land here
                }
                connection = null;
                sent.clear();
                heard.clear();
                leaving.clear();
            }
            metrics.backendFailure("redis");
            LOG.warnf("Redis subscriber connection to %s lost (%s): %d rooms to subscribe again", uri, why,
                    channels.size());
            gone.close();
            recover(FIRST_RETRY);
        }

        private void recover(Duration delay) {
            synchronized (this) {
                if (recovering || retired) {
                    return;
                }
                recovering = true;
            }
            vertx.setTimer(Math.max(1, delay.toMillis()), id -> attempt());
        }

        /**
         * One turn of the loop: channels whose slot moved go to their node (a standalone Redis keeps them all); a
         * node left with none idles until one comes; otherwise it connects, and on failure waits longer, up to a
         * bound.
         */
        private void attempt() {
            topology.read().invoke(this::moveMisplaced)
                    .chain(placed -> idleIfEmpty() ? Uni.createFrom().<RedisConnection>nullItem() : client.connect())
                    .subscribe().with(connected -> {
                        if (connected != null) {
                            connected(connected);
                        }
                    }, failure -> {
                        Duration wait;
                        synchronized (this) {
                            recovering = false;
                            wait = backoff;
                            backoff = backoff.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY
                                    : backoff.multipliedBy(2);
                        }
                        LOG.debugf("Redis subscriber connection to %s not made (%s): next try in %d ms", uri,
                                failure.getMessage(), wait.toMillis());
                        recover(wait);
                    });
        }

        /** Ends the loop when no channel belongs here; {@link #keep} starts it again (checked under one lock). */
        private synchronized boolean idleIfEmpty() {
            if (!channels.isEmpty()) {
                return false;
            }
            recovering = false;
            return true;
        }

        private void connected(RedisConnection fresh) {
            fresh.handler(push -> onPush(this, push))
                    .exceptionHandler(failure -> lost(fresh, failure.getMessage()))
                    .endHandler(() -> lost(fresh, "closed"));
            synchronized (this) {
                recovering = false;
                backoff = FIRST_RETRY;
                if (retired) {
                    fresh.close();
                    return;
                }
                connection = fresh;
            }
            List<String> all = List.copyOf(channels);
            if (!all.isEmpty()) {
                LOG.infof("Redis subscriber connection to %s made: subscribing to %d rooms", uri, all.size());
            }
            resubscribe(fresh, all, 0);
        }

        /** A batch at a time: the next one is sent once the last is confirmed (or did not get confirmed in time). */
        private void resubscribe(RedisConnection on, List<String> all, int from) {
            if (from >= all.size() || connection != on) {
                return;
            }
            List<Uni<Void>> batch = new ArrayList<>();
            for (String channel : all.subList(from, Math.min(all.size(), from + BATCH))) {
                if (channels.contains(channel)) {
                    batch.add(heard(channel));
                    send(on, channel);
                }
            }
            Uni<Void> confirmed = batch.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.join().all(batch).andCollectFailures().replaceWithVoid();
            confirmed.ifNoItem().after(confirmTimeout).fail()
                    .subscribe().with(ok -> resubscribe(on, all, from + BATCH), failure -> {
                        LOG.debugf("some rooms not confirmed on %s: %s", uri, failure.getMessage());
                        resubscribe(on, all, from + BATCH);
                    });
        }

        void retire() {
            RedisConnection current;
            synchronized (this) {
                retired = true;
                recovering = false;
                current = connection;
                connection = null;
            }
            if (current != null) {
                current.close();
            }
            client.close();
        }
    }
}
