package io.switchboard.engine.memory;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.bus.InstanceRoute;
import io.switchboard.bus.RoomBus;
import io.switchboard.config.InstanceId;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.presence.Arrivals;
import io.switchboard.presence.PresenceStore;
import io.switchboard.health.SharedStateHealth;
import io.switchboard.direct.Inbox;
import io.switchboard.room.RoomHistory;
import io.switchboard.room.RoomRegistry;
import io.switchboard.room.StorageQuota;

/**
 * The memory engine, whole: its parts are plain objects made here, as some of them share state (the bus writes
 * the history it delivers from; arrivals read the registry, presence and inbox). A bean of none of the engine's
 * interfaces, so CDI sees one implementation of each, chosen by {@code EngineProducer}; it is created only when
 * the memory engine is.
 */
@ApplicationScoped
public class MemoryEngine {

    private final MemoryRoomRegistry registry = new MemoryRoomRegistry();
    private final MemoryPresenceStore presence = new MemoryPresenceStore();
    private final MemoryStorageQuota quota = new MemoryStorageQuota();
    private final MemoryStateHealth health = new MemoryStateHealth();
    private final MemoryInbox inbox;
    private final MemoryRoomHistory history;
    private final MemoryArrivals arrivals;
    private final MemoryRoomBus bus;
    private final MemoryInstanceRoute route;

    MemoryEngine(SwitchboardConfig config, InstanceId instanceId) {
        this.inbox = new MemoryInbox(config);
        this.history = new MemoryRoomHistory(config);
        this.arrivals = new MemoryArrivals(registry, presence, inbox);
        this.bus = new MemoryRoomBus(history);
        this.route = new MemoryInstanceRoute(instanceId.id());
    }

    public RoomRegistry registry() {
        return registry;
    }

    public PresenceStore presence() {
        return presence;
    }

    public StorageQuota quota() {
        return quota;
    }

    public SharedStateHealth health() {
        return health;
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

    public InstanceRoute route() {
        return route;
    }
}
