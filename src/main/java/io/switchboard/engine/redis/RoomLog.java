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
import io.switchboard.protocol.RoomMessage;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;

/**
 * Writes to rooms: a message is appended to the room's stream and published on its channel by one script, so
 * Redis orders the two together and every instance delivers in id order. The script also encodes the
 * {@code message} frame, once, and every instance writes that same text to its connections.
 */
@ApplicationScoped
public class RoomLog {

    static final String FROM = "f";
    static final String BODY = "b";
    /** Channel payloads start with a kind: a stored message frame, or a room event. */
    static final char MESSAGE = 'M';
    static final char EVENT = 'E';

    /** KEYS log; ARGV maxlen, retention-ms, channel, from, body, room. Returns the message frame. */
    private static final LuaScript PUBLISH = new LuaScript("""
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'f', ARGV[4], 'b', ARGV[5])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            local dash = string.find(id, '-', 1, true)
            local ms = string.sub(id, 1, dash - 1)
            local seq = string.sub(id, dash + 1)
            local padded = string.rep('0', 16 - #ms) .. ms .. '-' .. string.rep('0', 6 - #seq) .. seq
            local frame = '{"type":"message","id":"' .. padded .. '","room":' .. cjson.encode(ARGV[6])
              .. ',"from":' .. cjson.encode(ARGV[4]) .. ',"body":' .. cjson.encode(ARGV[5]) .. ',"ts":' .. ms .. '}'
            redis.call('PUBLISH', ARGV[3], 'M' .. frame)
            return frame""");

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
                List.of(maxPerRoom, retentionMillis, keys.roomChannel(room), from, body, room))
                .map(reply -> read(reply.toString()));
    }

    public Uni<Void> broadcast(RoomEvent event) {
        return Uni.createFrom().item(() -> EVENT + write(event))
                .chain(payload -> redis.send(Request.cmd(Command.PUBLISH).arg(keys.roomChannel(event.room())).arg(payload)))
                .replaceWithVoid();
    }

    private String write(RoomEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private RoomMessage read(String frame) {
        try {
            return mapper.readValue(frame, RoomMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable message frame from Redis", e);
        }
    }
}
