package io.switchboard.engine.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.broker.Broker;
import io.switchboard.broker.Envelope;
import io.switchboard.engine.BrokerContract;
import io.switchboard.room.RoomHistory;
import io.switchboard.testing.TestBackends;

/**
 * The broker contract on the distributed engine: Redis streams and Pub/Sub for rooms, RabbitMQ for instances,
 * the machine's real services. The contract's recorder replaces local delivery as the broker's handler.
 */
@QuarkusTest
@TestProfile(DistributedBrokerContractTest.Distributed.class)
class DistributedBrokerContractTest extends BrokerContract {

    static final String PREFIX = TestBackends.uniqueName("broker") + ":";
    static final String EXCHANGE = TestBackends.uniqueName("broker");

    public static class Distributed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.engine", "distributed",
                    "switchboard.server-id", SERVER,
                    "switchboard.history.max-per-room", String.valueOf(HISTORY_SIZE),
                    "switchboard.redis.key-prefix", PREFIX,
                    "switchboard.rabbitmq.exchange", EXCHANGE);
        }

    }

    @Inject
    Broker broker;

    @Inject
    RoomHistory history;

    @Inject
    MeterRegistry registry;

    /** The route's meters: how many RabbitMQ messages went to instances' queues, and how many envelopes they carried. */
    @Test
    void everyEnvelopeSentToAnInstanceIsCountedWithThePublishThatCarriedIt() {
        double publishes = count("switchboard.route.publishes");
        double envelopes = count("switchboard.route.envelopes");

        broker.send(SERVER, new Envelope.Kick("alice")).await().atMost(Duration.ofSeconds(10));

        assertThat(count("switchboard.route.publishes")).isEqualTo(publishes + 1);
        assertThat(count("switchboard.route.envelopes")).isEqualTo(envelopes + 1);
    }

    private double count(String name) {
        Counter counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    @AfterAll
    static void removeKeysAndExchange() {
        TestBackends.deleteRedisKeys(PREFIX);
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
