package io.switchboard.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.switchboard.broker.Broker;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.engine.memory.MemoryBroker;
import io.switchboard.engine.memory.MemoryInbox;
import io.switchboard.engine.memory.MemoryPresenceStore;
import io.switchboard.engine.memory.MemoryRoomHistory;
import io.switchboard.engine.memory.MemoryRoomRegistry;
import io.switchboard.presence.PresenceStore;
import io.switchboard.room.Inbox;
import io.switchboard.room.RoomHistory;
import io.switchboard.room.RoomRegistry;

/**
 * The one place that picks the engine ({@code switchboard.engine}). Implementations are resolved lazily through
 * {@link Instance}, so the engine not chosen is never created and never connects anywhere.
 */
@ApplicationScoped
class EngineProducer {

    private final SwitchboardConfig.Engine engine;

    EngineProducer(SwitchboardConfig config) {
        this.engine = config.engine();
    }

    @Produces
    @ApplicationScoped
    RoomRegistry roomRegistry(Instance<MemoryRoomRegistry> memory) {
        return pick(memory);
    }

    @Produces
    @ApplicationScoped
    RoomHistory roomHistory(Instance<MemoryRoomHistory> memory) {
        return pick(memory);
    }

    @Produces
    @ApplicationScoped
    Inbox inbox(Instance<MemoryInbox> memory) {
        return pick(memory);
    }

    @Produces
    @ApplicationScoped
    PresenceStore presenceStore(Instance<MemoryPresenceStore> memory) {
        return pick(memory);
    }

    @Produces
    @ApplicationScoped
    Broker broker(Instance<MemoryBroker> memory) {
        return pick(memory);
    }

    private <T> T pick(Instance<? extends T> memory) {
        return switch (engine) {
            case MEMORY -> memory.get();
        };
    }
}
