package io.switchboard.engine.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.engine.ArrivalsContract;
import io.switchboard.engine.InboxContract;
import io.switchboard.engine.PresenceStoreContract;
import io.switchboard.engine.RoomRegistryContract;
import io.switchboard.presence.PresenceStore;
import io.switchboard.room.Inbox;
import io.switchboard.room.RoomRegistry;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.TestBackends;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/** The engine contracts, run against the Redis implementations on the machine's real Redis. */
class RedisEngineContractTest {

    static final String PREFIX = TestBackends.uniqueName("contract") + ":";
    static final RedisKeys KEYS = new RedisKeys(PREFIX);
    static final Redis REDIS = Redis.createClient(new Vertx(ChatTest.sharedVertx()), TestBackends.REDIS_URL);

    @AfterAll
    static void removeKeys() {
        TestBackends.deleteRedisKeys(PREFIX);
    }

    @Nested
    class Registry extends RoomRegistryContract {
        @Override
        protected RoomRegistry registry() {
            return new RedisRoomRegistry(REDIS, KEYS);
        }
    }

    @Nested
    class Presence extends PresenceStoreContract {
        @Override
        protected PresenceStore store() {
            return new RedisPresenceStore(REDIS, KEYS);
        }
    }

    @Nested
    class SessionArrivals extends ArrivalsContract {
        @Override
        protected Stores stores() {
            RedisInbox inbox = new RedisInbox(REDIS, KEYS, new ObjectMapper(), 10, 86_400_000L);
            return new Stores(new RedisArrivals(REDIS, KEYS, inbox), new RedisRoomRegistry(REDIS, KEYS),
                    new RedisPresenceStore(REDIS, KEYS), inbox);
        }
    }

    @Nested
    class Inboxes extends InboxContract {
        @Override
        protected Inbox inbox() {
            return new RedisInbox(REDIS, KEYS, new ObjectMapper(), CAPACITY, 86_400_000L);
        }
    }
}
