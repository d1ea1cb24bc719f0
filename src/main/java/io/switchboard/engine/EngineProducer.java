package io.switchboard.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.bus.InstanceRoute;
import io.switchboard.bus.RoomBus;
import io.switchboard.config.ServerId;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.engine.memory.MemoryArrivals;
import io.switchboard.engine.memory.MemoryInbox;
import io.switchboard.engine.memory.MemoryInstanceRoute;
import io.switchboard.engine.memory.MemoryPresenceStore;
import io.switchboard.engine.memory.MemoryRoomBus;
import io.switchboard.engine.memory.MemoryRoomHistory;
import io.switchboard.engine.memory.MemoryRoomRegistry;
import io.switchboard.engine.memory.MemoryStateHealth;
import io.switchboard.engine.memory.MemoryStorageQuota;
import io.switchboard.engine.rabbitmq.QueueTakeover;
import io.switchboard.engine.rabbitmq.RabbitInstanceRoute;
import io.switchboard.engine.rabbitmq.RouteRepair;
import io.switchboard.engine.redis.ClusterLiveness;
import io.switchboard.engine.redis.RedisArrivals;
import io.switchboard.engine.redis.RedisInbox;
import io.switchboard.engine.redis.RedisPresenceStore;
import io.switchboard.engine.redis.RedisRoomBus;
import io.switchboard.engine.redis.RedisRoomHistory;
import io.switchboard.engine.redis.RedisRoomRegistry;
import io.switchboard.engine.redis.RedisStorageQuota;
import io.switchboard.presence.Arrivals;
import io.switchboard.presence.PresenceStore;
import io.switchboard.presence.SharedStateHealth;
import io.switchboard.room.Inbox;
import io.switchboard.room.RoomHistory;
import io.switchboard.room.RoomRegistry;
import io.switchboard.room.StorageQuota;

/**
 * The one place that picks the engine ({@code switchboard.engine}). Implementations are resolved lazily through
 * {@link Instance}, so the engine not chosen is never created and never connects anywhere.
 */
@ApplicationScoped
class EngineProducer {

    private final SwitchboardConfig.Engine engine;
    private final SwitchboardConfig.Timeouts timeouts;

    EngineProducer(SwitchboardConfig config) {
        this.engine = config.engine();
        this.timeouts = config.timeouts();
    }

    @Produces
    @ApplicationScoped
    RoomRegistry roomRegistry(Instance<MemoryRoomRegistry> memory, Instance<RedisRoomRegistry> redis) {
        return pick(memory, redis);
    }

    @Produces
    @ApplicationScoped
    RoomHistory roomHistory(Instance<MemoryRoomHistory> memory, Instance<RedisRoomHistory> redis) {
        return pick(memory, redis);
    }

    @Produces
    @ApplicationScoped
    Inbox inbox(Instance<MemoryInbox> memory, Instance<RedisInbox> redis) {
        return pick(memory, redis);
    }

    @Produces
    @ApplicationScoped
    StorageQuota storageQuota(Instance<MemoryStorageQuota> memory, Instance<RedisStorageQuota> redis) {
        return pick(memory, redis);
    }

    @Produces
    @ApplicationScoped
    PresenceStore presenceStore(Instance<MemoryPresenceStore> memory, Instance<RedisPresenceStore> redis) {
        return pick(memory, redis);
    }

    @Produces
    @ApplicationScoped
    Arrivals arrivals(Instance<MemoryArrivals> memory, Instance<RedisArrivals> redis) {
        return pick(memory, redis);
    }

    @Produces
    @ApplicationScoped
    RoomBus roomBus(Instance<MemoryRoomHistory> memory, Instance<RedisRoomBus> redis) {
        return switch (engine) {
            case MEMORY -> new MemoryRoomBus(memory.get());
            case DISTRIBUTED -> redis.get();
        };
    }

    @Produces
    @ApplicationScoped
    InstanceRoute instanceRoute(ServerId instanceId, Instance<RabbitInstanceRoute> rabbitmq) {
        return switch (engine) {
            case MEMORY -> new MemoryInstanceRoute(instanceId.id());
            case DISTRIBUTED -> rabbitmq.get();
        };
    }

    @Produces
    @ApplicationScoped
    SharedStateHealth sharedStateHealth(Instance<MemoryStateHealth> memory, Instance<ClusterLiveness> distributed) {
        return pick(memory, distributed);
    }

    /** The distributed engine joins the cluster at start (heartbeat, takeover, route repair) and leaves it at shutdown. */
    void start(@Observes StartupEvent event, Instance<ClusterLiveness> liveness, Instance<QueueTakeover> takeover,
            Instance<RouteRepair> routes) {
        if (engine == SwitchboardConfig.Engine.DISTRIBUTED) {
            liveness.get().start().await().atMost(timeouts.clusterJoin());
            takeover.get().start();
            routes.get().start();
        }
    }

    void stop(@Observes ShutdownEvent event, Instance<ClusterLiveness> liveness, Instance<QueueTakeover> takeover,
            Instance<RouteRepair> routes) {
        if (engine == SwitchboardConfig.Engine.DISTRIBUTED) {
            routes.get().stop();
            takeover.get().stop();
            liveness.get().stop().await().atMost(timeouts.clusterLeave());
        }
    }

    private <T> T pick(Instance<? extends T> memory, Instance<? extends T> distributed) {
        return switch (engine) {
            case MEMORY -> memory.get();
            case DISTRIBUTED -> distributed.get();
        };
    }
}
