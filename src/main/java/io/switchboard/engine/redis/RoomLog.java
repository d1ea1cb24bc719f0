package io.switchboard.engine.redis;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.switchboard.broker.RoomEvent;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.RoomMessage;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;

/**
 * Writes to rooms: a message is appended to the room's stream and published on its sharded channel (SPUBLISH;
 * the stream and the channel share the room's hash tag, so on a Redis Cluster both are in the room's slot) by one
 * script, so Redis orders the two together and every instance delivers in id order. The channel carries the stream id, the
 * sender and the body ({@link #MESSAGE}); each instance builds the {@code message} frame from them, with the same
 * record and encoder as history, so the wire format is defined once.
 */
@ApplicationScoped
public class RoomLog {

    static final String FROM = "f";
    static final String BODY = "b";
    /** Channel payloads start with a kind: a stored message ({@code M<stream id> <from> <body>}), or a room event. */
    static final char MESSAGE = 'M';
    static final char EVENT = 'E';

    /** KEYS log; ARGV maxlen, retention-ms, channel, from, body. Returns the stream id. */
    private static final LuaScript PUBLISH = new LuaScript("""
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'f', ARGV[4], 'b', ARGV[5])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('SPUBLISH', ARGV[3], 'M' .. id .. ' ' .. ARGV[4] .. ' ' .. ARGV[5])
            return id""");

    private final Redis redis;
    private final RedisKeys keys;
    private final ObjectMapper mapper;
    private final String maxPerRoom;
    private final String retentionMillis;

    @Inject
    RoomLog(Redis redis, RedisKeys keys, ObjectMapper mapper, SwitchboardConfig config) {
        this(redis, keys, mapper, config.history().maxPerRoom(), config.history().retention());
    }

    public RoomLog(Redis redis, RedisKeys keys, ObjectMapper mapper, int maxPerRoom, Duration retention) {
        this.redis = redis;
        this.keys = keys;
        this.mapper = mapper;
        this.maxPerRoom = String.valueOf(maxPerRoom);
        this.retentionMillis = String.valueOf(retention.toMillis());
    }

    public Uni<RoomMessage> publish(String room, String from, String body) {
        return PUBLISH.run(redis, List.of(keys.roomLog(room)),
                List.of(maxPerRoom, retentionMillis, keys.roomChannel(room), from, body))
                .map(reply -> message(room, reply.toString(), from, body));
    }

    public Uni<Void> broadcast(RoomEvent event) {
        return Uni.createFrom().item(() -> EVENT + write(event))
                .chain(payload -> redis.send(Request.cmd(Command.SPUBLISH).arg(keys.roomChannel(event.room())).arg(payload)))
                .replaceWithVoid();
    }

    private String write(RoomEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A room message from a {@link #MESSAGE} payload (without its kind), as every instance reads its channel. */
    static RoomMessage fromChannel(String room, String payload) {
        int afterId = payload.indexOf(' ');
        int afterFrom = payload.indexOf(' ', afterId + 1);
        return message(room, payload.substring(0, afterId), payload.substring(afterId + 1, afterFrom),
                payload.substring(afterFrom + 1));
    }

    private static RoomMessage message(String room, String streamId, String from, String body) {
        MessageId id = RedisRoomHistory.fromStreamId(streamId);
        return new RoomMessage(id, room, from, body, id.millis());
    }
}
