package io.switchboard.engine.redis;

import java.net.URI;
import java.util.Arrays;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Which Redis node owns which slot, for the connections that subscribe to sharded channels: on a Redis Cluster
 * ({@code quarkus.redis.client-type=cluster}) the masters, from {@code CLUSTER SLOTS}; on a standalone Redis, the
 * one server for every slot. A node is addressed like the seed (the first address the Redis client was configured
 * with), its scheme and credentials kept.
 */
@ApplicationScoped
class RedisTopology {

    private final Redis redis;
    private final boolean cluster;
    private final Supplier<String> configuredSeed;
    private volatile URI seed;
    /** The map as last read; null until read, and again once a command found it out of date. */
    private volatile Slots known;

    @Inject
    RedisTopology(Redis redis, @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String type,
            RedisPlatformOptions platform) {
        this(redis, type, platform::seed);
    }

    RedisTopology(Redis redis, String type, String seed) {
        this(redis, type, () -> seed);
    }

    private RedisTopology(Redis redis, String type, Supplier<String> seed) {
        this.redis = redis;
        this.cluster = "cluster".equalsIgnoreCase(type);
        this.configuredSeed = seed;
    }

    /** Read when first needed: the client's options exist once the Redis client does. */
    private URI seed() {
        URI known = seed;
        if (known == null) {
            known = URI.create(configuredSeed.get().split(",")[0].trim());
            seed = known;
        }
        return known;
    }

    boolean isCluster() {
        return cluster;
    }

    /** The owner of every slot as last read, read now if it is not known; looked at on subscription. */
    Uni<Slots> current() {
        return Uni.createFrom().deferred(() -> {
            Slots last = known;
            return last != null ? Uni.createFrom().item(last) : read();
        });
    }

    /** The owner of every slot now, read from Redis (and remembered). */
    Uni<Slots> read() {
        if (!cluster) {
            String only = seed().toString();
            String[] owners = new String[RedisSlots.COUNT];
            Arrays.fill(owners, only);
            return Uni.createFrom().item(new Slots(owners)).invoke(slots -> known = slots);
        }
        return redis.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).map(this::slots).invoke(slots -> known = slots);
    }

    /** A command went where its slot no longer lives: the next {@link #current()} reads the map again. */
    void forget() {
        known = null;
    }

    /** {@code CLUSTER SLOTS}: [start, end, [host, port, id], replicas…] per range; an empty host is the seed's. */
    private Slots slots(Response ranges) {
        String[] owners = new String[RedisSlots.COUNT];
        for (Response range : ranges) {
            Response master = range.get(2);
            String host = master.get(0) == null || master.get(0).toString().isEmpty() ? seed().getHost()
                    : master.get(0).toString();
            String node = nodeUri(host, master.get(1).toInteger());
            for (int slot = range.get(0).toInteger(); slot <= range.get(1).toInteger(); slot++) {
                owners[slot] = node;
            }
        }
        return new Slots(owners);
    }

    private String nodeUri(String host, int port) {
        URI seed = seed();
        String credentials = seed.getRawUserInfo() == null ? "" : seed.getRawUserInfo() + "@";
        return seed.getScheme() + "://" + credentials + host + ":" + port;
    }

    /** The node owning each slot, as a connection string; null for a slot no node serves (mid-failover). */
    record Slots(String[] owners) {

        String ownerOf(String channel) {
            return owners[RedisSlots.slotOf(channel)];
        }
    }
}
