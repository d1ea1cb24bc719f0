package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.ChatClient;
import io.switchboard.testing.TestBackends;
import io.switchboard.testing.Frames;
import io.vertx.core.json.JsonObject;

/**
 * kill -9 of one instance: a survivor purges its sessions once its heartbeat expires, so its users show offline
 * within 30 s; direct messages for them, whether sent before or after the crash was noticed, are kept in the
 * inbox and delivered once when they come back.
 */
class ClusterCrashIT {

    static Cluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        // shorter than the 5 s / 15 s defaults, so the test is quick; the 30 s promise is what is asserted
        cluster = new Cluster(Map.of("SWITCHBOARD_CLUSTER_HEARTBEAT_INTERVAL", "1S",
                "SWITCHBOARD_CLUSTER_HEARTBEAT_TTL", "4S",
                "SWITCHBOARD_RABBITMQ_UNDELIVERED_AFTER", "2S"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void aCrashedInstancesUsersGoOfflineAndTheirDirectMessagesWaitInTheInbox() throws Exception {
        String bob = "bob-crash";
        ChatClient alice = Cluster.connect(cluster.one, "user_id=alice-crash");
        ChatClient doomed = Cluster.connect(cluster.two, "user_id=" + bob);
        assertThat(cluster.one.online(bob)).isTrue();
        String room = "crash-room";
        alice.request(Frames.join(room));
        doomed.request(Frames.join(room));
        String lastSeen = alice.request(Frames.publish(room, "seen by bob")).getString("id");
        doomed.await(f -> lastSeen.equals(f.getString("id")));

        long killedAt = System.nanoTime();
        cluster.two.kill();
        doomed.close();
        List<String> missed = List.of(alice.request(Frames.publish(room, "missed 1")).getString("id"),
                alice.request(Frames.publish(room, "missed 2")).getString("id"));
        // sent before anyone noticed the crash: routed to the dead instance's queue, dead-lettered, then kept
        JsonObject early = alice.request(Frames.direct(bob, "sent as you crashed"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.one.online(bob));
        System.out.printf("crashed instance's user shown offline after %.1f s%n", (System.nanoTime() - killedAt) / 1e9);
        JsonObject late = alice.request(Frames.direct(bob, "while you were away"));
        assertThat(late.getString("delivered")).isEqualTo("stored");
        await().atMost(Duration.ofSeconds(20)).until(() -> inboxLength(bob) == 2);

        try (ChatClient back = ChatClient.connect(cluster.one.ws(), "user_id=" + bob)) {
            back.await("welcome");
            List<JsonObject> waiting = List.of(back.await("direct"), back.await("direct"));
            assertThat(waiting).extracting(dm -> dm.getString("id"))
                    .containsExactlyInAnyOrder(early.getString("id"), late.getString("id"));
            assertThat(waiting).allMatch(dm -> dm.getBoolean("offline"));
            back.assertNothing(f -> "direct".equals(f.getString("type")) && !waiting.contains(f));
            // reconnected to the survivor, bob catches up with exactly what he missed
            JsonObject joined = back.request(Frames.joinSince(room, lastSeen));
            assertThat(joined.getJsonArray("missed").stream().map(m -> ((JsonObject) m).getString("id")))
                    .containsExactlyElementsOf(missed);
            assertThat(joined.getBoolean("complete")).isTrue();
        }
        alice.close();
    }

    private static long inboxLength(String user) {
        return TestBackends.redisLength(cluster.prefix + "inbox:" + user);
    }

}
