package io.switchboard.engine.redis;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.room.Inbox;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;

/** A Redis list per user, bounded and expiring; drained atomically so two devices never both get a message. */
@ApplicationScoped
@Typed(RedisInbox.class)
public class RedisInbox implements Inbox {

    /** KEYS inbox; ARGV message, max, ttl-ms. */
    private static final LuaScript STORE = new LuaScript("""
            redis.call('RPUSH', KEYS[1], ARGV[1])
            redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1""");

    /** Takes every waiting message, oldest first. */
    static final String DRAIN_FUNCTION = """
            local function drain(inbox)
              local waiting = redis.call('LRANGE', inbox, 0, -1)
              redis.call('DEL', inbox)
              return waiting
            end
            """;

    /** KEYS inbox. */
    private static final LuaScript DRAIN = new LuaScript(DRAIN_FUNCTION + "return drain(KEYS[1])");

    private final Redis redis;
    private final RedisKeys keys;
    private final ObjectMapper mapper;
    private final int maxPerUser;
    private final long ttlMillis;

    @Inject
    RedisInbox(Redis redis, RedisKeys keys, ObjectMapper mapper, SwitchboardConfig config) {
        this(redis, keys, mapper, config.inbox().maxPerUser(), config.inbox().ttl().toMillis());
    }

    public RedisInbox(Redis redis, RedisKeys keys, ObjectMapper mapper, int maxPerUser, long ttlMillis) {
        this.redis = redis;
        this.keys = keys;
        this.mapper = mapper;
        this.maxPerUser = maxPerUser;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public Uni<Void> store(DirectMessage message) {
        return Uni.createFrom().item(() -> write(message))
                .chain(json -> STORE.run(redis, List.of(keys.inbox(message.to())),
                        List.of(json, String.valueOf(maxPerUser), String.valueOf(ttlMillis))))
                .replaceWithVoid();
    }

    @Override
    public Uni<List<DirectMessage>> drain(String user) {
        return DRAIN.run(redis, List.of(keys.inbox(user)), List.of()).map(this::messages);
    }

    /** The messages of a drain's reply. */
    List<DirectMessage> messages(Response drained) {
        return Replies.strings(drained).stream().map(this::read).toList();
    }

    private String write(DirectMessage message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private DirectMessage read(String json) {
        try {
            return mapper.readValue(json, DirectMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable inbox entry", e);
        }
    }
}
