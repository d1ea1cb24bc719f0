package io.switchboard.engine.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.switchboard.broker.InboundHandler;
import io.switchboard.broker.RoomEvent;
import io.switchboard.engine.InboundRelay;
import io.switchboard.metrics.ChatMetrics;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;

/**
 * This instance's room subscriptions, all on one dedicated Redis connection (a connection per room would
 * exhaust the pool, quarkus#42299). The rooms wanted are remembered, so after the connection is lost a new one
 * subscribes to all of them again, and nothing stays silently unsubscribed (quarkus#33418). The node's
 * {@code RoomSubscriptions} sends one command per room at a time, so the wanted set changes in the order the
 * commands reach Redis.
 */
@ApplicationScoped
public class RoomChannels {

    private static final Logger LOG = Logger.getLogger(RoomChannels.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private final Redis redis;
    private final RedisKeys keys;
    private final InboundRelay inbound;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final ChatMetrics metrics;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    /** Completes when a connection is up with every wanted room subscribed; replaced when it is lost. */
    private volatile Uni<RedisConnection> ready;
    private RedisConnection current;

    RoomChannels(Redis redis, RedisKeys keys, InboundRelay inbound, ObjectMapper mapper, Vertx vertx,
            ChatMetrics metrics) {
        this.metrics = metrics;
        this.redis = redis;
        this.keys = keys;
        this.inbound = inbound;
        this.mapper = mapper;
        this.vertx = vertx;
        this.ready = connect();
    }

    /** Completes once Redis confirmed the subscription, so a caller that waits cannot miss the next message. */
    public Uni<Void> subscribe(String room) {
        wanted.add(room);
        return ready.chain(connection -> connection.send(Request.cmd(Command.SUBSCRIBE).arg(keys.roomChannel(room))))
                .replaceWithVoid();
    }

    public Uni<Void> unsubscribe(String room) {
        wanted.remove(room);
        return ready.chain(connection -> connection.send(Request.cmd(Command.UNSUBSCRIBE).arg(keys.roomChannel(room))))
                .replaceWithVoid();
    }

    private Uni<RedisConnection> connect() {
        return redis.connect()
                .invoke(this::becomeCurrent)
                .invoke(connection -> connection
                        .handler(this::onPush)
                        .exceptionHandler(failure -> lost(connection, failure))
                        .endHandler(() -> lost(connection, null)))
                .call(this::subscribeAll)
                .onFailure().retry().withBackOff(FIRST_RETRY, LAST_RETRY).indefinitely()
                .memoize().indefinitely();
    }

    private Uni<Void> subscribeAll(RedisConnection connection) {
        List<String> rooms = List.copyOf(wanted);
        if (rooms.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Request request = Request.cmd(Command.SUBSCRIBE);
        rooms.forEach(room -> request.arg(keys.roomChannel(room)));
        return connection.send(request).replaceWithVoid();
    }

    private synchronized void becomeCurrent(RedisConnection connection) {
        current = connection;
    }

    private synchronized void lost(RedisConnection connection, Throwable failure) {
        if (connection != current) {
            return; // already replaced: the exception and the end of one connection both land here
        }
        current = null;
        metrics.backendFailure("redis");
        LOG.warnf("Redis subscriber connection lost (%s): reconnecting and subscribing to %d rooms again",
                failure == null ? "closed" : failure.getMessage(), wanted.size());
        connection.close().subscribe().with(ok -> LOG.debug("lost Redis subscriber connection closed"),
                closeFailure -> LOG.debugf("closing the lost Redis subscriber connection: %s", closeFailure.getMessage()));
        Uni<RedisConnection> next = connect();
        ready = next;
        // connect() retries until it succeeds: a failure here means the retries themselves were cancelled
        next.subscribe().with(ok -> LOG.info("Redis subscriber connection restored"),
                reconnectFailure -> LOG.errorf("Redis subscriber connection not restored: %s", reconnectFailure.getMessage()));
    }

    private void onPush(Response push) {
        if (push.size() < 3 || !"message".equals(push.get(0).toString())) {
            return;
        }
        String room = keys.roomOfChannel(push.get(1).toString());
        String payload = push.get(2).toString();
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
}
