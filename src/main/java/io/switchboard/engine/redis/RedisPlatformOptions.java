package io.switchboard.engine.redis;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.quarkus.redis.runtime.client.VertxRedisClientFactory;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * The options Quarkus built for the application's Redis client from {@code quarkus.redis.*} (hosts, password,
 * TLS, timeouts), kept as Quarkus hands them to its customizers: the subscriber connections {@link ShardedChannels}
 * opens itself, one per node, are made from them, so a password or TLS set for the platform applies there too.
 */
@Singleton
class RedisPlatformOptions implements RedisOptionsCustomizer {

    private volatile RedisOptions configured;

    @Override
    public void customize(String client, RedisOptions options) {
        if (VertxRedisClientFactory.DEFAULT_CLIENT.equals(client)) {
            configured = new RedisOptions(options);
        }
    }

    /** The first configured address (a cluster's seed), as Quarkus resolved it. */
    String seed() {
        return configured().getEndpoint();
    }

    /** One connection to one node, with everything else as configured. */
    RedisOptions forNode(String uri) {
        return new RedisOptions(configured()).setType(RedisClientType.STANDALONE)
                .setEndpoints(new ArrayList<>(List.of(uri))).setMaxPoolSize(1).setMaxPoolWaiting(16);
    }

    private RedisOptions configured() {
        RedisOptions options = configured;
        if (options == null) {
            // the Redis client is a start-up bean: it exists before any room is subscribed
            throw new IllegalStateException("the Redis client is not configured yet");
        }
        return options;
    }
}
