package io.switchboard.engine.redis;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.engine.ArrivalsContract;
import io.switchboard.testing.TestBackends;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The Redis stores of the contract suites, on one client and key prefix: a cluster's when {@code clusterHosts}
 * names its nodes, else a standalone Redis's.
 */
record RedisStores(Redis redis, RedisKeys keys, String clusterHosts) {

    /** A registry known whole, as the first instance on an empty Redis marks it (see ClusterLiveness). */
    RedisRoomRegistry registry() {
        redis.send(io.vertx.mutiny.redis.client.Request.cmd(io.vertx.mutiny.redis.client.Command.SET)
                .arg(keys.registryWhole()).arg("1")).await().indefinitely();
        return new RedisRoomRegistry(redis, keys, batches());
    }

    RedisPresenceStore presence() {
        return new RedisPresenceStore(redis, keys, batches());
    }

    SlotBatches batches() {
        RedisTopology topology = clusterHosts == null
                ? new RedisTopology(redis, "standalone", TestBackends.REDIS_URL)
                : new RedisTopology(redis, "cluster", clusterHosts);
        return new SlotBatches(redis, topology);
    }

    RedisInbox inbox(int capacity, int perSender, Duration ttl) {
        return new RedisInbox(redis, keys, new ObjectMapper(), capacity, perSender, ttl.toMillis());
    }

    RedisStorageQuota storageQuota() {
        return new RedisStorageQuota(redis, keys);
    }

    ArrivalsContract.Stores arrivals() {
        RedisInbox inbox = inbox(10, 10, Duration.ofDays(1));
        RedisPresenceStore presence = presence();
        return new ArrivalsContract.Stores(new RedisArrivals(redis, keys, inbox, presence), registry(), presence, inbox);
    }
}
