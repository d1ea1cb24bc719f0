package io.switchboard.cluster;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.ChatClient;
import io.switchboard.testing.Frames;
import io.vertx.core.json.JsonObject;

/** SIGTERM drains an instance: nothing acked is lost, its users show offline at once, clients are told 1012. */
class DrainIT {

    static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new Cluster(Map.of());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void aMessageAckedJustBeforeSigtermIsKeptAndTheDrainedUserIsOfflineAtOnce() throws Exception {
        String room = "drain-room";
        ChatClient alice = Cluster.connect(cluster.one, "user_id=alice-drain");
        ChatClient bob = Cluster.connect(cluster.two, "user_id=bob-drain");
        alice.request(join(room));
        bob.request(join(room));

        JsonObject ack = bob.request(publish(room, "last words"));
        Duration exit = cluster.two.terminate(Duration.ofSeconds(25));

        assertThat(bob.awaitClose()).isEqualTo(1012);
        assertThat(alice.await("message").getString("id")).isEqualTo(ack.getString("id"));
        assertThat(alice.request(Frames.history(room)).getJsonArray("messages").stream()
                .map(m -> ((JsonObject) m).getString("id"))).contains(ack.getString("id"));
        // "at once": well inside the heartbeat TTL (15 s), which would be the only other way to go offline
        await().atMost(Duration.ofSeconds(3)).until(() -> !cluster.one.online("bob-drain"));
        System.out.printf("drained instance exited after %d ms%n", exit.toMillis());
        alice.close();
    }

}
