package io.switchboard.cluster;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.Frames.history;
import static io.switchboard.testing.Frames.invite;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.leave;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.response.Response;
import io.switchboard.testing.ChatClient;
import io.vertx.core.json.JsonObject;

/**
 * Access that must end, or never begin, whatever fails in between, on two real instances: a private room after
 * Redis lost its data, a leave and a kick whose news cannot reach the other instance, and sessions whose removal
 * from presence failed.
 */
class AccessFaultsIT {

    static final String VAULT = "private:vault";

    @Test
    void aPrivateRoomStaysItsMembersAfterRedisIsFlushedOrRestartedEmpty() throws Exception {
        try (PrivateRedis redis = new PrivateRedis();
                Cluster cluster = new Cluster(Map.of("QUARKUS_REDIS_HOSTS", redis.url(),
                        "SWITCHBOARD_CLUSTER_HEARTBEAT_INTERVAL", "1S", "SWITCHBOARD_CLUSTER_HEARTBEAT_TTL", "4S"))) {
            ChatClient alice = Cluster.connect(cluster.one, "user_id=alice-vault");
            ChatClient bob = Cluster.connect(cluster.two, "user_id=bob-vault");
            ChatClient mallory = Cluster.connect(cluster.two, "user_id=mallory-vault");
            assertThat(alice.request(join(VAULT)).getString("type")).isEqualTo("joined");
            assertThat(alice.request(invite(VAULT, "bob-vault")).getString("type")).isEqualTo("ack");
            assertThat(bob.request(join(VAULT)).getString("type")).isEqualTo("joined");
            assertThat(mallory.request(join(VAULT)).getString("code")).isEqualTo("forbidden");

            redis.flushAll();
            assertTheVaultStaysTheirs(alice, bob, mallory, "flushed");
            redis.restartEmpty();
            assertTheVaultStaysTheirs(alice, bob, mallory, "restarted empty");

            // membership is asked of Redis, a confirmation standing a second: not one look-up per message
            long before = redis.calls("hexists");
            int published = 50;
            for (int i = 0; i < published; i++) {
                assertThat(alice.request(publish(VAULT, "counted " + i)).getString("type")).isEqualTo("ack");
            }
            long lookups = redis.calls("hexists") - before;
            System.out.printf("membership look-ups: %d for %d messages published%n", lookups, published);
            assertThat(lookups).isLessThan(published / 2);
        }
    }

    /**
     * mallory tries to join from the moment Redis lost its data until alice's messages reach bob again, and after:
     * never let in, she gets none of them.
     */
    private static void assertTheVaultStaysTheirs(ChatClient alice, ChatClient bob, ChatClient mallory, String fault) {
        int[] sent = { 0 };
        java.util.Set<String> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long lost = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonObject tried = mallory.request(join(VAULT));
            assertThat(tried.getString("type")).as("mallory's join after Redis was %s: %s", fault, tried)
                    .isEqualTo("error");
            assertThat(tried.getString("code")).isIn("forbidden", "unavailable");
            JsonObject ack = alice.request(publish(VAULT, fault + " secret " + sent[0]++));
            if ("ack".equals(ack.getString("type"))) {
                acked.add(ack.getString("id"));
            }
            // back once the registry has the room again (a join is refused for want of an invitation, not
            // unavailable) and alice's messages reach bob
            return "forbidden".equals(tried.getString("code"))
                    && !bob.all(f -> f.containsKey("id") && acked.contains(f.getString("id"))).isEmpty();
        });
        // alice's own membership comes back with her instance's pass: until then her publish may be unavailable
        String[] id = { null };
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonObject ack = alice.request(publish(VAULT, fault + " after"));
            id[0] = ack.getString("id");
            assertThat(ack.getString("code")).as("alice's publish after Redis was %s", fault).isIn(null, "unavailable");
            return id[0] != null;
        });
        double back = (System.nanoTime() - lost) / 1e9;
        bob.await(f -> id[0].equals(f.getString("id")));
        for (int i = 0; i < 3; i++) {
            String next = alice.request(publish(VAULT, fault + " after " + i)).getString("id");
            bob.await(f -> next.equals(f.getString("id")));
        }
        assertThat(mallory.request(join(VAULT)).getString("code")).isEqualTo("forbidden");
        assertThat(mallory.request(history(VAULT)).getString("code")).isEqualTo("forbidden");
        mallory.assertNothing(f -> "message".equals(f.getString("type")));
        System.out.printf("private room, Redis %s: alice and bob's room back in %.1f s, mallory read %d messages%n",
                fault, back, mallory.all(f -> "message".equals(f.getString("type"))).size());
    }

    @Test
    void aLeaveAndAKickWhoseNewsCannotReachTheOtherInstance() throws Exception {
        try (TcpProxy rabbit = new TcpProxy(5672);
                Cluster cluster = new Cluster(Map.of("RABBITMQ_PORT", String.valueOf(rabbit.port())))) {
            ChatClient alice = Cluster.connect(cluster.one, "user_id=alice-leave");
            ChatClient phone = Cluster.connect(cluster.one, "user_id=bob-leave");
            ChatClient laptop = Cluster.connect(cluster.two, "user_id=bob-leave");
            alice.request(join(VAULT));
            alice.request(invite(VAULT, "bob-leave"));
            phone.request(join(VAULT));
            laptop.await(f -> "joined".equals(f.getString("type")) && VAULT.equals(f.getString("room")));
            assertThat(laptop.request(publish(VAULT, "before")).getString("type")).isEqualTo("ack");

            rabbit.cut();
            assertThat(phone.request(leave(VAULT)).getString("type")).isEqualTo("left");
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() ->
                    "forbidden".equals(laptop.request(publish(VAULT, "after the leave")).getString("code")));
            // the room's channel carries the leave: the laptop leaves the room while RabbitMQ is still cut
            laptop.await(f -> "left".equals(f.getString("type")) && VAULT.equals(f.getString("room")));
            String afterLeave = alice.request(publish(VAULT, "bob is gone")).getString("id");
            alice.await(f -> afterLeave.equals(f.getString("id")));
            laptop.assertNothing(f -> afterLeave.equals(f.getString("id")));
            // history stays readable: bob still holds his invitation, and whoever could join may read (README)
            assertThat(laptop.request(invite(VAULT, "carol-leave")).getString("code")).isEqualTo("forbidden");

            Response kick = given().baseUri("http://127.0.0.1").port(cluster.one.port())
                    .queryParam("user_id", "root").queryParam("groups", "admin")
                    .delete("/api/users/{user}/sessions", "bob-leave");
            assertThat(kick.statusCode()).as("a kick that reached no instance: %s", kick.asString()).isEqualTo(503);
            assertThat(kick.jsonPath().getList("instances", String.class)).containsExactly(cluster.two.instanceId());
        }
    }

    @Test
    void sessionsWhoseRemovalFailedLeavePresenceWithinTheReconcileInterval() throws Exception {
        try (TcpProxy redis = new TcpProxy(6379);
                Cluster cluster = new Cluster(Map.of("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + redis.port(),
                        "SWITCHBOARD_CLUSTER_RECONCILE_INTERVAL", "2S",
                        "SWITCHBOARD_LIMITS_MAX_CONNECTIONS_PER_USER", "2"))) {
            ChatClient first = Cluster.connect(cluster.one, "user_id=carol-ghost");
            ChatClient second = Cluster.connect(cluster.one, "user_id=carol-ghost");

            redis.cut();
            first.close();
            second.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> cluster.one.log().split("not removed from presence",
                    -1).length - 1 >= 2);
            redis.restore();

            long restored = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !cluster.two.online("carol-ghost"));
            System.out.printf("ghost sessions gone %.1f s after Redis was back%n", (System.nanoTime() - restored) / 1e9);
            try (ChatClient again = Cluster.connect(cluster.one, "user_id=carol-ghost");
                    ChatClient twice = Cluster.connect(cluster.two, "user_id=carol-ghost")) {
                assertThat(again.isClosed()).isFalse();
                assertThat(twice.isClosed()).isFalse();
            }
        }
    }
}
