package io.switchboard.engine.memory;

import java.time.Duration;

import org.junit.jupiter.api.Nested;

import io.switchboard.broker.Broker;
import io.switchboard.engine.BrokerContract;
import io.switchboard.engine.ArrivalsContract;
import io.switchboard.engine.InboxContract;
import io.switchboard.engine.PresenceStoreContract;
import io.switchboard.engine.RoomRegistryContract;
import io.switchboard.engine.StorageQuotaContract;
import io.switchboard.presence.PresenceStore;
import io.switchboard.room.Inbox;
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
    class Brokers extends BrokerContract {
        private final MemoryRoomHistory history = new MemoryRoomHistory(HISTORY_SIZE, Duration.ofDays(1), 1 << 20,
                System::currentTimeMillis);
        private final MemoryBroker broker = new MemoryBroker(history, SERVER);

        @Override
        protected Broker broker() {
            return broker;
        }


        @Override
        protected RoomHistory history() {
            return history;
        }
    }
}
