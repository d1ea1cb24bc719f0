package io.switchboard.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.bus.InstanceRoute;
import io.switchboard.bus.RoomBus;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.engine.memory.MemoryEngine;
import io.switchboard.engine.rabbitmq.QueueTakeover;
import io.switchboard.engine.rabbitmq.RabbitInstanceRoute;
import io.switchboard.engine.rabbitmq.RouteRepair;
import io.switchboard.engine.redis.ClusterLiveness;
import io.switchboard.engine.redis.RedisEngine;
import io.switchboard.presence.Arrivals;
import io.switchboard.presence.PresenceStore;
import io.switchboard.health.SharedStateHealth;
import io.switchboard.direct.Inbox;
import io.switchboard.room.RoomHistory;
import io.switchboard.room.RoomRegistry;
import io.switchboard.room.StorageQuota;

/**
 * The one place that picks the engine ({@code switchboard.engine}), at run time: one image serves both. One
 * producer per engine interface hands out the chosen implementation, resolved lazily through {@link Instance}, so
 * the engine not chosen is never created and never connects anywhere. Each engine's parts are plain objects made
 * by one bean that implements none of the interfaces ({@link MemoryEngine}, {@link RedisEngine}), so CDI sees one
 * bean of each interface: this producer's. Two distributed parts stay beans in their own right, as other beans
 * inject them by class and they have a life of their own ({@link ClusterLiveness}: a heartbeat;
 * {@link RabbitInstanceRoute}: a messaging channel and consumer); each carries {@code @Typed} with its own class,
 * or it would also be a bean of the interface it implements, ambiguous with this producer. CDI offers no run-time
 * choice among beans of one type ({@code @IfBuildProperty} and the like decide when the image is built).
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
    RoomRegistry roomRegistry(Instance<MemoryEngine> memory, Instance<RedisEngine> redis) {
        return memory() ? memory.get().registry() : redis.get().registry();
    }

    @Produces
    @ApplicationScoped
    RoomHistory roomHistory(Instance<MemoryEngine> memory, Instance<RedisEngine> redis) {
        return memory() ? memory.get().history() : redis.get().history();
    }

    @Produces
    @ApplicationScoped
    Inbox inbox(Instance<MemoryEngine> memory, Instance<RedisEngine> redis) {
        return memory() ? memory.get().inbox() : redis.get().inbox();
    }

    @Produces
    @ApplicationScoped
    StorageQuota storageQuota(Instance<MemoryEngine> memory, Instance<RedisEngine> redis) {
        return memory() ? memory.get().quota() : redis.get().quota();
    }

    @Produces
    @ApplicationScoped
    PresenceStore presenceStore(Instance<MemoryEngine> memory, Instance<RedisEngine> redis) {
        return memory() ? memory.get().presence() : redis.get().presence();
    }

    @Produces
    @ApplicationScoped
    Arrivals arrivals(Instance<MemoryEngine> memory, Instance<RedisEngine> redis) {
        return memory() ? memory.get().arrivals() : redis.get().arrivals();
    }

    @Produces
    @ApplicationScoped
    RoomBus roomBus(Instance<MemoryEngine> memory, Instance<RedisEngine> redis) {
        return memory() ? memory.get().bus() : redis.get().bus();
    }

    @Produces
    @ApplicationScoped
    InstanceRoute instanceRoute(Instance<MemoryEngine> memory, Instance<RabbitInstanceRoute> rabbitmq) {
        return memory() ? memory.get().route() : rabbitmq.get();
    }

    @Produces
    @ApplicationScoped
    SharedStateHealth sharedStateHealth(Instance<MemoryEngine> memory, Instance<ClusterLiveness> distributed) {
        return memory() ? memory.get().health() : distributed.get();
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

    private boolean memory() {
        return engine == SwitchboardConfig.Engine.MEMORY;
    }
}
