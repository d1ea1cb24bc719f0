package io.switchboard.engine.redis;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.bus.RoomBus;
import io.switchboard.engine.RoomBusContract;
import io.switchboard.room.RoomHistory;
import io.switchboard.testing.TestBackends;

/**
 * The room bus contract on the distributed engine: Redis streams and sharded Pub/Sub, the machine's real Redis.
 * The contract's recorder replaces local delivery as the bus's listener.
 */
@QuarkusTest
@TestProfile(RedisRoomBusContractTest.Distributed.class)
class RedisRoomBusContractTest extends RoomBusContract {

    static final String PREFIX = TestBackends.uniqueName("room-bus") + ":";
    static final String EXCHANGE = TestBackends.uniqueName("room-bus");
    static final String INSTANCE = "room-bus-contract";

    public static class Distributed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.engine", "distributed",
                    "switchboard.instance-id", INSTANCE,
                    "switchboard.history.max-per-room", String.valueOf(HISTORY_SIZE),
                    "switchboard.redis.key-prefix", PREFIX,
                    "switchboard.rabbitmq.exchange", EXCHANGE);
        }
    }

    @Inject
    RoomBus bus;

    @Inject
    RoomHistory history;

    @AfterAll
    static void removeKeysAndExchange() {
        TestBackends.deleteRedisKeys(PREFIX);
        TestBackends.deleteRabbitExchange(EXCHANGE, INSTANCE);
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
