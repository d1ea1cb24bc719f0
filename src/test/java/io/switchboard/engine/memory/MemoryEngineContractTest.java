package io.switchboard.engine.memory;

import java.time.Duration;

import org.junit.jupiter.api.Nested;

import io.switchboard.bus.InstanceRoute;
import io.switchboard.bus.RoomBus;
import io.switchboard.engine.ArrivalsContract;
import io.switchboard.engine.InboxContract;
import io.switchboard.engine.InstanceRouteContract;
import io.switchboard.engine.PresenceStoreContract;
import io.switchboard.engine.RoomBusContract;
import io.switchboard.engine.RoomRegistryContract;
import io.switchboard.engine.StorageQuotaContract;
import io.switchboard.presence.PresenceStore;
import io.switchboard.direct.Inbox;
import io.switchboard.room.RoomHistory;
import io.switchboard.room.RoomRegistry;
import io.switchboard.room.StorageQuota;

/** The engine contracts, run against the memory engine. */
class MemoryEngineContractTest {

    @Nested
    class Registry extends RoomRegistryContract {
        @Override
        protected RoomRegistry registry() {
            return new MemoryRoomRegistry();
        }
    }

    @Nested
    class Presence extends PresenceStoreContract {
        @Override
        protected PresenceStore store() {
            return new MemoryPresenceStore();
        }
    }

    @Nested
    class SessionArrivals extends ArrivalsContract {
        @Override
        protected Stores stores() {
            MemoryRoomRegistry registry = new MemoryRoomRegistry();
            MemoryPresenceStore presence = new MemoryPresenceStore();
            MemoryInbox inbox = new MemoryInbox(10, 10, 1 << 20, Duration.ofDays(1).toMillis(),
                    System::currentTimeMillis);
            return new Stores(new MemoryArrivals(registry, presence, inbox), registry, presence, inbox);
        }
    }

    @Nested
    class Inboxes extends InboxContract {
        @Override
        protected Inbox inbox(Duration ttl) {
            return new MemoryInbox(CAPACITY, PER_SENDER, 1 << 20, ttl.toMillis(), System::currentTimeMillis);
        }
    }

    @Nested
    class StorageQuotas extends StorageQuotaContract {
        private final MemoryStorageQuota quota = new MemoryStorageQuota();

        @Override
        protected StorageQuota quota() {
            return quota;
        }
    }

    @Nested
    class RoomBuses extends RoomBusContract {
        private final MemoryRoomHistory history = new MemoryRoomHistory(HISTORY_SIZE, Duration.ofDays(1), 1 << 20,
                System::currentTimeMillis);
        private final MemoryRoomBus bus = new MemoryRoomBus(history);

        @Override
        protected RoomBus bus() {
            return bus;
        }

        @Override
        protected RoomHistory history() {
            return history;
        }
    }

    @Nested
    class InstanceRoutes extends InstanceRouteContract {
        @Override
        protected InstanceRoute route() {
            return new MemoryInstanceRoute(INSTANCE);
        }
    }
}
