package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import io.switchboard.testing.ChatClient;
import io.switchboard.testing.Frames;
import io.switchboard.testing.LocalRedisCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * kill -9 of the Redis master that holds a room, under room traffic, with two instances on a six-node Redis
 * Cluster: frames during the failover get {@code unavailable} or {@code timeout} (not acked), delivery resumes by
 * itself without anybody reconnecting, and every acked message is in the room's history exactly once.
 */
class RedisClusterFailoverIT {

    @Test
    void aMasterKilledUnderRoomTrafficLosesNothingAckedAndDeliveryResumes() throws Exception {
        try (LocalRedisCluster redis = LocalRedisCluster.start();
                Cluster cluster = new Cluster(Map.of("QUARKUS_REDIS_CLIENT_TYPE", "cluster",
                        "QUARKUS_REDIS_HOSTS", redis.hosts()))) {
            String room = "failover-" + cluster.exchange;
            ChatClient alice = Cluster.connect(cluster.one, "user_id=alice-failover");
            ChatClient bob = Cluster.connect(cluster.two, "user_id=bob-failover");
            alice.request(Frames.join(room));
            bob.request(Frames.join(room));

            List<String> acked = new ArrayList<>();
            Set<String> refused = ConcurrentHashMap.newKeySet();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong killedAt = new AtomicLong();
            CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
                for (int i = 0; !done.get(); i++) {
                    JsonObject reply = alice.request(Frames.publish(room, "m" + i));
                    if ("ack".equals(reply.getString("type"))) {
                        synchronized (acked) {
                            acked.add(reply.getString("id"));
                        }
                    } else {
                        refused.add(reply.getString("code"));
                    }
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> ackedCount(acked) >= 20);

            String roomKey = cluster.prefix + "room:{" + room + "}";
            int master = redis.masterOf(roomKey);
            killedAt.set(System.nanoTime());
            redis.kill(master);
            redis.awaitFailover(roomKey, master);
            double failover = (System.nanoTime() - killedAt.get()) / 1e9;
            int ackedAtRecovery = ackedCount(acked);
            // delivery resumes on bob's same connection: a message acked after the failover reaches him
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                String last = lastAcked(acked, ackedAtRecovery);
                return last != null && !bob.all(f -> last.equals(f.getString("id"))).isEmpty();
            });
            double resumed = (System.nanoTime() - killedAt.get()) / 1e9;
            done.set(true);
            publisher.get();

            assertThat(bob.isClosed()).isFalse();
            assertThat(refused).isSubsetOf(Set.of("unavailable", "timeout"));
            List<String> history = history(bob, room);
            List<String> sentIds;
            synchronized (acked) {
                sentIds = List.copyOf(acked);
            }
            assertThat(history).containsAll(sentIds).doesNotHaveDuplicates();
            System.out.printf("redis master killed under room traffic: a replica took over after %.1f s, delivery resumed"
                    + " %.1f s after the kill; %d acked, all in history once; refused: %s%n",
                    failover, resumed, sentIds.size(), refused);
            alice.close();
            bob.close();
        }
    }

    private static int ackedCount(List<String> acked) {
        synchronized (acked) {
            return acked.size();
        }
    }

    private static String lastAcked(List<String> acked, int after) {
        synchronized (acked) {
            return acked.size() > after ? acked.get(acked.size() - 1) : null;
        }
    }

    /** Every message the room keeps, oldest first, paged back with {@code before}. */
    private static List<String> history(ChatClient client, String room) {
        List<String> ids = new ArrayList<>();
        String before = null;
        while (true) {
            JsonObject request = new JsonObject().put("type", "history").put("room", room).put("limit", 100);
            if (before != null) {
                request.put("before", before);
            }
            JsonObject page = client.request(request);
            JsonArray messages = page.getJsonArray("messages");
            if (messages == null || messages.isEmpty()) {
                return ids;
            }
            List<String> older = new ArrayList<>();
            messages.forEach(m -> older.add(((JsonObject) m).getString("id")));
            ids.addAll(0, older);
            before = older.get(0);
        }
    }
}
