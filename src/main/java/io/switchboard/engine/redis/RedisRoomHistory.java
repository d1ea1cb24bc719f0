package io.switchboard.engine.redis;

import java.util.Collections;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.room.RoomHistory;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;

/** Reads a room's stream ({@link RoomStream}); {@link RedisRoomBus} writes it. */
public class RedisRoomHistory implements RoomHistory {

    /**
     * KEYS log; ARGV since (stream id). Returns {0} when the stream is gone, else {1, complete, entries after
     * since}. The catch-up is complete when the {@code since} entry itself is still in the stream: then nothing
     * after it can have been trimmed, nor lost with an earlier incarnation of the stream (a Redis restart).
     */
    private static final LuaScript AFTER = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
            local complete = 0
            if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) > 0 then complete = 1 end
            return {1, complete, redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+')}""");

    private final Redis redis;
    private final RedisKeys keys;

    RedisRoomHistory(Redis redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Uni<List<RoomMessage>> before(String room, MessageId before, int limit) {
        if (before != null && before.equals(MessageId.FIRST)) {
            return Uni.createFrom().item(List.of()); // nothing is older, and Redis refuses "(0-0"
        }
        Request newestFirst = Request.cmd(Command.XREVRANGE).arg(keys.roomLog(room))
                .arg(before == null ? "+" : "(" + RoomStream.streamId(before)).arg("-").arg("COUNT").arg(limit);
        return redis.send(newestFirst).map(reply -> {
            List<RoomMessage> messages = RoomStream.entries(room, reply);
            Collections.reverse(messages);
            return messages;
        });
    }

    @Override
    public Uni<Catchup> after(String room, MessageId since) {
        return AFTER.run(redis, List.of(keys.roomLog(room)), List.of(RoomStream.streamId(since))).map(reply -> {
            if (reply.get(0).toInteger() == 0) {
                return new Catchup(List.of(), false);
            }
            return new Catchup(RoomStream.entries(room, reply.get(2)), reply.get(1).toInteger() == 1);
        });
    }

    @Override
    public Uni<Void> forget(String room) {
        return redis.send(Request.cmd(Command.DEL).arg(keys.roomLog(room))).replaceWithVoid();
    }
}
