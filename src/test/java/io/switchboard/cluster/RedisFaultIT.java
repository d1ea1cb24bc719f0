package io.switchboard.cluster;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.Frames;
import io.vertx.core.json.JsonObject;

/**
 * Redis faults under steady room traffic, with two instances on a Redis of the test's own: while it is frozen,
 * frames that need it are answered {@code timeout} within 5 s (never acked: Redis may take them when it wakes),
 * and the same frame sent again with its ref afterwards learns its ack instead of making a second message;
 * delivery resumes by itself, with no client reconnecting, and every acked message is in history exactly once.
 */
class RedisFaultIT {

    PrivateRedis redis;
    Cluster cluster;
    ChatClient alice;
    ChatClient bob;
    final String room = "fault-room";

    @BeforeEach
    void start() throws Exception {
        redis = new PrivateRedis();
        cluster = new Cluster(Map.of("QUARKUS_REDIS_HOSTS", redis.url(),
                "SWITCHBOARD_CLUSTER_HEARTBEAT_INTERVAL", "1S", "SWITCHBOARD_CLUSTER_HEARTBEAT_TTL", "4S"));
        alice = Cluster.connect(cluster.one, "user_id=alice-fault");
        bob = Cluster.connect(cluster.two, "user_id=bob-fault");
        alice.request(join(room));
        bob.request(join(room));
    }

    @AfterEach
    void stop() throws Exception {
        alice.close();
        bob.close();
        cluster.close();
        redis.close();
    }

    @Test
    void aFiveSecondCutIsRefusedThenDeliveryResumes() throws Exception {
        Traffic traffic = new Traffic();
        traffic.publish(5);
        redis.freeze();
        long cutAt = System.nanoTime();
        JsonObject duringTheCut = publish(room, "during the cut").put("ref", "during");
        alice.send(duringTheCut);
        JsonObject during = alice.await(f -> "during".equals(f.getString("ref")));
        await().atMost(Duration.ofSeconds(4)).until(() -> cluster.one.httpStatus("/q/health/ready") == 503);
        Thread.sleep(Math.max(0, 5000 - (System.nanoTime() - cutAt) / 1_000_000));
        redis.thaw();
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.one.httpStatus("/q/health/ready") == 200);

        alice.send(duringTheCut);
        JsonObject learned = alice.await(f -> "during".equals(f.getString("ref")));
        long restored = System.nanoTime();
        String id = await().atMost(Duration.ofSeconds(15)).until(() -> traffic.publishOne(), acked -> acked != null);
        bob.await(f -> id.equals(f.getString("id")));
        double recovery = (System.nanoTime() - restored) / 1e9;
        traffic.publish(5);

        assertThat(during.getString("code")).as("a frozen Redis takes the frame when it wakes").isEqualTo("timeout");
        assertThat(learned.getString("type")).as("sent again with its ref: how it ended").isEqualTo("ack");
        traffic.acked.add(learned.getString("id"));
        assertThat(traffic.bodiesInHistory()).as("the message sent twice is kept once").containsOnlyOnce("during the cut");
        assertThat(alice.isClosed()).isFalse();
        assertThat(bob.isClosed()).isFalse();
        assertThat(recovery).isLessThan(5);
        traffic.assertEveryAckedMessageOnceInHistory();
        traffic.report("redis cut 5 s", recovery);
    }

    @Test
    void aRestartWithNothingInItHealsPresenceRegistryAndDelivery() throws Exception {
        Traffic traffic = new Traffic();
        traffic.publish(5);
        String before = traffic.acked.get(traffic.acked.size() - 1);

        redis.restartEmpty();
        long restarted = System.nanoTime();
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> traffic.publishOne(), acked -> acked != null);
        bob.await(f -> id.equals(f.getString("id")));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.one.online("bob-fault") && cluster.one.online("alice-fault")
                && members().containsAll(List.of("alice-fault", "bob-fault")));
        double recovery = (System.nanoTime() - restarted) / 1e9;

        JsonObject catchUp = bob.request(Frames.joinSince(room, before));
        assertThat(catchUp.getBoolean("complete")).as("history before the restart is gone, and said so").isFalse();
        traffic.report("redis restart (empty)", recovery);
    }


    private List<String> members() {
        return RestAssured.given().baseUri("http://127.0.0.1").port(cluster.two.port()).queryParam("user_id", "viewer")
                .get("/api/rooms/{room}", room).then().extract().jsonPath().getList("members.user");
    }

    /** alice publishes; counts what was acked, refused and delivered to bob. */
    final class Traffic {
        final List<String> acked = new ArrayList<>();
        int refused;
        int sent;

        void publish(int count) {
            for (int i = 0; i < count; i++) {
                String id = publishOne();
                if (id != null) {
                    bob.await(f -> id.equals(f.getString("id")));
                }
            }
        }

        /** The acked id, or null when the frame was refused. */
        String publishOne() {
            sent++;
            JsonObject reply = alice.request(Frames.publish(room, "m" + sent));
            if ("ack".equals(reply.getString("type"))) {
                acked.add(reply.getString("id"));
                return reply.getString("id");
            }
            assertThat(reply.getString("code")).isIn("unavailable", "timeout");
            refused++;
            return null;
        }

        List<String> bodiesInHistory() {
            return alice.request(Frames.history(room).put("limit", 100)).getJsonArray("messages").stream()
                    .map(m -> ((JsonObject) m).getString("body")).toList();
        }

        void assertEveryAckedMessageOnceInHistory() {
            List<String> history = alice.request(Frames.history(room).put("limit", 100)).getJsonArray("messages")
                    .stream().map(m -> ((JsonObject) m).getString("id")).toList();
            assertThat(history).doesNotHaveDuplicates().containsAll(acked);
        }

        void report(String fault, double recoverySeconds) {
            long delivered = bob.all(f -> "message".equals(f.getString("type"))).size();
            long lost = acked.stream().filter(id -> bob.all(f -> id.equals(f.getString("id"))).isEmpty()).count();
            System.out.printf("%s: sent %d, acked %d, refused %d, delivered %d, lost %d, recovery %.1f s%n", fault,
                    sent, acked.size(), refused, delivered, lost, recoverySeconds);
            assertThat(lost).isZero();
        }
    }
}
