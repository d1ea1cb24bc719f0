package io.switchboard.engine.redis;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

import io.switchboard.engine.ArrivalsContract;
import io.switchboard.engine.InboxContract;
import io.switchboard.engine.PresenceStoreContract;
import io.switchboard.engine.RoomRegistryContract;
import io.switchboard.engine.StorageQuotaContract;
import io.switchboard.presence.PresenceStore;
import io.switchboard.direct.Inbox;
import io.switchboard.room.RoomRegistry;
import io.switchboard.room.StorageQuota;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.TestBackends;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** The engine contracts, run against the Redis implementations on the machine's real (standalone) Redis. */
class RedisEngineContractTest {

    static final String PREFIX = TestBackends.uniqueName("contract") + ":";
    // the pool as application.properties sizes it: an arrival is three commands under way at once
    static final RedisStores STORES = new RedisStores(Redis.createClient(new Vertx(ChatTest.sharedVertx()),
            new RedisOptions().setConnectionString(TestBackends.REDIS_URL).setMaxPoolSize(32).setMaxPoolWaiting(10_000)),
            new RedisKeys(PREFIX), null);

    @AfterAll
    static void removeKeys() {
        TestBackends.deleteRedisKeys(PREFIX);
    }

    @Nested
    class Registry extends RoomRegistryContract {
        @Override
        protected RoomRegistry registry() {
            return STORES.registry();
        }
    }

    @Nested
    class Presence extends PresenceStoreContract {
        @Override
        protected PresenceStore store() {
            return STORES.presence();
        }
    }

    @Nested
    class SessionArrivals extends ArrivalsContract {
        @Override
        protected Stores stores() {
            return STORES.arrivals();
        }
    }

    @Nested
    class Inboxes extends InboxContract {
        @Override
        protected Inbox inbox(Duration ttl) {
            return STORES.inbox(CAPACITY, PER_SENDER, ttl);
        }
    }

    @Nested
    class StorageQuotas extends StorageQuotaContract {
        @Override
        protected StorageQuota quota() {
            return STORES.storageQuota();
        }
    }
}
