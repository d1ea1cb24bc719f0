package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.ChatClient;

/**
 * A drain of more sessions than the Redis client can queue: taking them all out of presence at once, or again as
 * each connection closes, overflowed the client's wait queue and left sessions to the purge. The wait queue is made
 * small here (pool 32 + 300 waiting) so that 600 connections are "more" without opening 10,000.
 */
class DrainAtScaleIT {

    static final int CONNECTIONS = 600;
    static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new Cluster(Map.of("QUARKUS_REDIS_MAX_POOL_WAITING", "300"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void everySessionLeavesPresenceWithoutOverflowingTheRedisClient() throws Exception {
        List<ChatClient> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            clients.add(Cluster.connect(cluster.two, "user_id=drained-" + i));
        }

        cluster.two.terminate(Duration.ofSeconds(25));

        for (ChatClient client : clients) {
            assertThat(client.awaitClose()).isEqualTo(1012);
        }
        assertThat(cluster.two.log()).contains("draining: closing " + CONNECTIONS + " connections")
                .doesNotContain("removed from presence", "max wait queue size");
        clients.forEach(ChatClient::close);
    }
}
