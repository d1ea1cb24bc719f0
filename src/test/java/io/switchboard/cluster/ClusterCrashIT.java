package io.switchboard.cluster;

import static io.switchboard.testing.DirectCopies.copies;
import static io.switchboard.testing.DirectCopies.notDelivered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.ChatClient;
import io.switchboard.testing.Frames;
import io.switchboard.testing.TestBackends;
import io.vertx.core.json.JsonObject;

/**
 * kill -9 of one instance. The survivor takes over its queue at once and declares it gone, so its users show
 * offline everywhere, and direct messages that wait there or were still routed there reach their recipients where
 * they reconnect, or the inbox. Nothing acked is lost, and the server sends nothing twice but what was in
 * flight at the very instant of the crash.
 */
class ClusterCrashIT {

    private Cluster cluster;

    @BeforeEach
    void startCluster() throws Exception {
        // a TTL shorter than the 15 s default and quicker dead-lettering, so the test is quick; the 30 s promise is what is asserted
        cluster = new Cluster(Map.of("SWITCHBOARD_CLUSTER_HEARTBEAT_INTERVAL", "1S",
                "SWITCHBOARD_CLUSTER_HEARTBEAT_TTL", "4S",
                "SWITCHBOARD_RABBITMQ_UNDELIVERED_AFTER", "2S"));
    }

    @AfterEach
    void stopCluster() throws Exception {
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
        // sent right after the crash: routed to the dead instance if it still looked alive, taken over, then kept
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

    @Test
    void aDirectMessageForAUserWhoseInstanceJustDiedReachesHimWithinThreeSecondsOfReconnecting() throws Exception {
        String bob = "bob-failover";
        ChatClient alice = Cluster.connect(cluster.one, "user_id=alice-failover");
        ChatClient doomed = Cluster.connect(cluster.two, "user_id=" + bob);

        cluster.two.kill();
        doomed.close();
        // a second later his instance still looks alive (its heartbeat has not expired): the message is routed there
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        String id = alice.request(Frames.direct(bob, "are you there?")).getString("id");

        long reconnected = System.nanoTime();
        try (ChatClient back = Cluster.connect(cluster.one, "user_id=" + bob)) {
            back.await(f -> id.equals(f.getString("id")));
            double seconds = (System.nanoTime() - reconnected) / 1e9;
            System.out.printf("crashed instance's direct message reached its user %.2f s after he reconnected%n", seconds);
            assertThat(seconds).isLessThan(3.0);
            back.assertNothing(f -> false);
            assertThat(back.all(f -> id.equals(f.getString("id")))).hasSize(1);
        }
        alice.close();
    }

    @Test
    void aCrashUnderDirectMessageTrafficLosesNothingAndDuplicatesNothing() throws Exception {
        String bob = "bob-traffic";
        ChatClient alice = Cluster.connect(cluster.one, "user_id=alice-traffic");
        ChatClient doomed = Cluster.connect(cluster.two, "user_id=" + bob);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            for (int i = 0; !done.get(); i++) {
                JsonObject ack = alice.request(Frames.direct(bob, "traffic " + i));
                assertThat(ack.getString("type")).isEqualTo("ack");
                acked.add(ack.getString("id"));
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> acked.size() >= 100);

        cluster.two.kill();
        doomed.awaitClose();
        ChatClient back = Cluster.connect(cluster.one, "user_id=" + bob);
        int sentBefore = acked.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> acked.size() >= sentBefore + 200);
        done.set(true);
        sender.get();
        back.assertNothing(f -> false);

        // the last messages sent may still be on their way (a takeover forwards them within milliseconds)
        List<ChatClient> devices = List.of(doomed, back);
        try {
            await().atMost(Duration.ofSeconds(1)).until(() -> notDelivered(acked, devices).isEmpty());
        } catch (ConditionTimeoutException stillMissing) {
            // reported with the figures below
        }
        Map<String, Integer> copies = copies(devices);
        List<String> lost = notDelivered(acked, devices);
        long twice = copies.values().stream().filter(n -> n > 1).count();
        System.out.printf("kill -9 under direct messages: %d acked, %d lost, %d delivered more than once%n", acked.size(),
                lost.size(), twice);
        assertThat(lost).isEmpty();
        // at-least-once at the instant of the kill: a message written to bob whose acknowledgement to RabbitMQ
        // died with the instance comes again through the takeover (0 or 1 per run here); no other copies
        assertThat(twice).isLessThanOrEqualTo(2);
        back.close();
        alice.close();
    }


    private long inboxLength(String user) {
        return TestBackends.redisLength(cluster.prefix + "user:{" + user + "}:inbox");
    }
}
