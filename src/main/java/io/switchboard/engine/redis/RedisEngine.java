package io.switchboard.engine.redis;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.bus.RoomBus;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.presence.Arrivals;
import io.switchboard.direct.Inbox;
import io.switchboard.room.RoomHistory;
import io.switchboard.room.RoomRegistry;
import io.switchboard.room.StorageQuota;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The Redis half of the distributed engine: its stores and its room bus, plain objects made here on the one Redis
 * client. A bean of none of the engine's interfaces, so CDI sees one implementation of each, chosen by
 * {@code EngineProducer}; it is created only when the distributed engine is.
 */
@ApplicationScoped
public class RedisEngine {

    private final RedisRoomRegistry registry;
    private final RedisPresenceStore presence;
    private final RedisStorageQuota quota;
    private final RedisInbox inbox;
    private final RedisRoomHistory history;
    private final RedisArrivals arrivals;
    private final RedisRoomBus bus;

    RedisEngine(Redis redis, RedisKeys keys, SlotBatches batches, ShardedChannels channels, ObjectMapper mapper,
            ChatMetrics metrics, SwitchboardConfig config) {
        this.registry = new RedisRoomRegistry(redis, keys, batches);
        this.presence = new RedisPresenceStore(redis, keys, batches);
        this.quota = new RedisStorageQuota(redis, keys);
        this.inbox = new RedisInbox(redis, keys, mapper, config);
        this.history = new RedisRoomHistory(redis, keys);
        this.arrivals = new RedisArrivals(redis, keys, inbox, presence);
        this.bus = new RedisRoomBus(redis, keys, channels, mapper, metrics, config);
    }

    public RoomRegistry registry() {
        return registry;
    }

    /** Of its own type: the liveness check also removes a gone instance's sessions through it. */
    public RedisPresenceStore presence() {
        return presence;
    }

    public StorageQuota quota() {
        return quota;
    }

    public Inbox inbox() {
        return inbox;
    }

    public RoomHistory history() {
        return history;
    }

    public Arrivals arrivals() {
        return arrivals;
    }

    public RoomBus bus() {
        return bus;
    }
}
