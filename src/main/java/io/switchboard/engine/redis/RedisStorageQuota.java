package io.switchboard.engine.redis;

import java.time.Duration;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.switchboard.room.StorageQuota;
import io.vertx.mutiny.redis.client.Redis;

/** A counter per user (the user's slot), created by the first charge and expiring with its window. */
public class RedisStorageQuota implements StorageQuota {

    /** KEYS counter; ARGV bytes, max, window-ms. Returns 1 when counted, 0, counting nothing, beyond the max. */
    private static final LuaScript CHARGE = new LuaScript("""
            local used = tonumber(redis.call('GET', KEYS[1]) or '0')
            if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return 0 end
            redis.call('INCRBY', KEYS[1], ARGV[1])
            if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            return 1""");

    private final Redis redis;
    private final RedisKeys keys;

    public RedisStorageQuota(Redis redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Uni<Boolean> charge(String user, long bytes, long max, Duration window) {
        return CHARGE.run(redis, List.of(keys.storedBytes(user)),
                List.of(String.valueOf(bytes), String.valueOf(max), String.valueOf(window.toMillis())))
                .map(reply -> reply.toInteger() == 1);
    }
}
