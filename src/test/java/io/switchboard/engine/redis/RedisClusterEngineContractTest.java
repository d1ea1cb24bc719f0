package io.switchboard.engine.redis;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import io.switchboard.testing.LocalRedisCluster;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * The engine contracts on a real six-node Redis Cluster: every step stays in one slot (hash tags), or is split
 * into per-slot steps, or the cluster refuses it.
 */
class RedisClusterEngineContractTest {

    static LocalRedisCluster cluster;
    static RedisStores stores;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalRedisCluster.start();
        // as application.properties sizes the pool: a cluster command takes a connection to every node
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER).setMaxPoolSize(32)
                .setMaxPoolWaiting(10_000);
        for (String host : cluster.hosts().split(",")) {
            options.addConnectionString(host);
        }
        stores = new RedisStores(Redis.createClient(new Vertx(ChatTest.sharedVertx()), options), new RedisKeys("sb:"), cluster.hosts());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        stores.redis().close();
        cluster.close();
    }

    @Nested
    class Registry extends RoomRegistryContract {
        @Override
        protected RoomRegistry registry() {
            return stores.registry();
        }
    }

    @Nested
    class Presence extends PresenceStoreContract {
        @Override
        protected PresenceStore store() {
            return stores.presence();
        }
    }

    @Nested
    class SessionArrivals extends ArrivalsContract {
        @Override
        protected Stores stores() {
            return stores.arrivals();
        }
    }

    @Nested
    class Inboxes extends InboxContract {
        @Override
        protected Inbox inbox(Duration ttl) {
            return stores.inbox(CAPACITY, PER_SENDER, ttl);
        }
    }

    @Nested
    class StorageQuotas extends StorageQuotaContract {
        @Override
        protected StorageQuota quota() {
            return stores.storageQuota();
        }
    }
}
