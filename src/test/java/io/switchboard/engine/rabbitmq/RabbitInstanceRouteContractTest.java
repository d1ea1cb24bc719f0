package io.switchboard.engine.rabbitmq;

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
import io.switchboard.bus.Envelope;
import io.switchboard.bus.InstanceRoute;
import io.switchboard.engine.InstanceRouteContract;
import io.switchboard.testing.TestBackends;

/**
 * The instance route contract on the distributed engine: RabbitMQ queues, liveness in Redis, the machine's real
 * services. The contract's recorders replace direct messaging and local control as the route's handlers.
 */
@QuarkusTest
@TestProfile(RabbitInstanceRouteContractTest.Distributed.class)
class RabbitInstanceRouteContractTest extends InstanceRouteContract {

    static final String PREFIX = TestBackends.uniqueName("route") + ":";
    static final String EXCHANGE = TestBackends.uniqueName("route");

    public static class Distributed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.engine", "distributed",
                    "switchboard.instance-id", INSTANCE,
                    "switchboard.redis.key-prefix", PREFIX,
                    "switchboard.rabbitmq.exchange", EXCHANGE);
        }
    }

    @Inject
    InstanceRoute route;

    @Inject
    MeterRegistry registry;

    /** The route's meters: how many RabbitMQ messages went to instances' queues, and how many envelopes they carried. */
    @Test
    void everyEnvelopeSentToAnInstanceIsCountedWithThePublishThatCarriedIt() {
        double publishes = count("switchboard.route.publishes");
        double envelopes = count("switchboard.route.envelopes");

        route.send(INSTANCE, new Envelope.Kick("alice")).await().atMost(Duration.ofSeconds(10));

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
        TestBackends.deleteRabbitExchange(EXCHANGE, INSTANCE);
    }

    @Override
    protected InstanceRoute route() {
        return route;
    }
}
