package io.switchboard.engine.distributed;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.broker.Broker;
import io.switchboard.engine.BrokerContract;
import io.switchboard.room.RoomHistory;
import io.switchboard.testing.RedisClusterResource;
import io.switchboard.testing.TestBackends;

/**
 * The broker contract on the distributed engine with a real six-node Redis Cluster: room logs and sharded
 * channels in the rooms' slots, one subscriber connection per master; RabbitMQ as everywhere.
 */
@QuarkusTest
@TestProfile(DistributedBrokerClusterContractTest.OnRedisCluster.class)
class DistributedBrokerClusterContractTest extends BrokerContract {

    static final String EXCHANGE = TestBackends.uniqueName("broker-cluster");

    public static class OnRedisCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.engine", "distributed",
                    "switchboard.server-id", SERVER,
                    "switchboard.history.max-per-room", String.valueOf(HISTORY_SIZE),
                    "switchboard.rabbitmq.exchange", EXCHANGE);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisClusterResource.class));
        }
    }

    @Inject
    Broker broker;

    @Inject
    RoomHistory history;

    @AfterAll
    static void removeExchange() {
        TestBackends.deleteRabbitExchange(EXCHANGE, SERVER);
    }

    @Override
    protected Broker broker() {
        return broker;
    }

    @Override
    protected RoomHistory history() {
        return history;
    }
}
