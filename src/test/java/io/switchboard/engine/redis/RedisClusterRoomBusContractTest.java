package io.switchboard.engine.redis;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.bus.RoomBus;
import io.switchboard.engine.InstanceRouteContract;
import io.switchboard.engine.RoomBusContract;
import io.switchboard.room.RoomHistory;
import io.switchboard.testing.RedisClusterResource;
import io.switchboard.testing.TestBackends;

/**
 * The room bus contract on a real six-node Redis Cluster: room streams and sharded channels in the rooms' slots,
 * one subscriber connection per master. {@link RedisClusterInstanceRouteContractTest} shares its profile.
 */
@QuarkusTest
@TestProfile(RedisClusterRoomBusContractTest.OnRedisCluster.class)
class RedisClusterRoomBusContractTest extends RoomBusContract {

    static final String EXCHANGE = TestBackends.uniqueName("room-bus-cluster");

    public static class OnRedisCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.engine", "distributed",
                    "switchboard.instance-id", InstanceRouteContract.INSTANCE,
                    "switchboard.history.max-per-room", String.valueOf(HISTORY_SIZE),
                    "switchboard.rabbitmq.exchange", EXCHANGE);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisClusterResource.class));
        }
    }

    @Inject
    RoomBus bus;

    @Inject
    RoomHistory history;

    @AfterAll
    static void removeExchange() {
        TestBackends.deleteRabbitExchange(EXCHANGE, InstanceRouteContract.INSTANCE);
    }

    @Override
    protected RoomBus bus() {
        return bus;
    }

    @Override
    protected RoomHistory history() {
        return history;
    }
}
