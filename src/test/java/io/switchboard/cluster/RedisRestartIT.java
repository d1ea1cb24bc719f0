package io.switchboard.cluster;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.switchboard.testing.ChatClient;
import io.vertx.core.json.JsonObject;

/**
 * Redis restarted as an operator does (its data kept, connections refused for 10 s) under room traffic in 200
 * rooms, two instances: each instance resubscribes its rooms once (one recovery loop per Redis node, not one more
 * per failed reconnect), its heap stays small, and a member on the other instance gets every acked message once,
 * in order in each room, with no reconnect; a client publishing 50 a second throughout is never
 * {@code rate_limited}.
 */
class RedisRestartIT {

    static final int ROOMS = 200;
    static final Duration DOWN = Duration.ofSeconds(10);

    PrivateRedis redis;
    Cluster cluster;
    ChatClient alice;
    ChatClient bob;
    final List<String> rooms = new ArrayList<>();
    final Map<String, String> roomOfRef = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        redis = new PrivateRedis();
        cluster = new Cluster(Map.of("QUARKUS_REDIS_HOSTS", redis.url(),
                "SWITCHBOARD_LIMITS_ROOMS_CREATED_PER_DAY", String.valueOf(2 * ROOMS)));
        alice = Cluster.connect(cluster.one, "user_id=alice-restart");
        bob = Cluster.connect(cluster.two, "user_id=bob-restart");
        for (int i = 0; i < ROOMS; i++) {
            String room = "restart-" + i;
            rooms.add(room);
            alice.send(join(room));
            bob.send(join(room));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.all(f -> "joined".equals(f.getString("type"))).size()
                == ROOMS && bob.all(f -> "joined".equals(f.getString("type"))).size() == ROOMS);
    }

    @AfterEach
    void stop() throws Exception {
        alice.close();
        bob.close();
        cluster.close();
        redis.close();
    }

    @Test
    void aRestartWithRefusedConnectionsLosesNothingAndResubscribesEachRoomOnce() throws Exception {
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger sent = new AtomicInteger();
        publisher.scheduleAtFixedRate(() -> {
            int n = sent.getAndIncrement();
            String ref = "p" + n;
            String room = rooms.get(n % ROOMS);
            roomOfRef.put(ref, room);
            alice.send(publish(room, "m" + n).put("ref", ref));
        }, 0, 20, TimeUnit.MILLISECONDS);
        try {
            Thread.sleep(2000);
            redis.restartKeepingData(DOWN);
            long restarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.two.httpStatus("/q/health/ready") == 200);
            String firstAfter = awaitAckAfter(sent.get());
            bob.await(f -> firstAfter.equals(f.getString("id")));
            double recovery = (System.nanoTime() - restarted) / 1e9;
            Thread.sleep(3000);
            publisher.shutdown();
            assertThat(publisher.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

            int total = sent.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> replies().size() == total);
            List<JsonObject> replies = replies();
            List<JsonObject> acks = replies.stream().filter(f -> "ack".equals(f.getString("type"))).toList();
            Map<String, Long> errors = replies.stream().filter(f -> "error".equals(f.getString("type")))
                    .collect(Collectors.groupingBy(f -> f.getString("code"), Collectors.counting()));
            await().atMost(Duration.ofSeconds(30)).until(() -> missing(acks).isEmpty());

            Map<String, List<String>> seenByRoom = new HashMap<>();
            bob.all(f -> "message".equals(f.getString("type"))).forEach(f -> seenByRoom
                    .computeIfAbsent(f.getString("room"), r -> new ArrayList<>()).add(f.getString("id")));
            long ssubscribes = redis.commandCalls().getOrDefault("ssubscribe", 0L);
            long heapOne = heapUsed(cluster.one);
            long heapTwo = heapUsed(cluster.two);
            System.out.printf("redis restart (refused %d s, %d rooms): sent %d, acked %d, errors %s, delivered %d,"
                    + " lost %d, SSUBSCRIBE after the restart %d, heap one %d MB, two %d MB, delivery back %.1f s"
                    + " after Redis was back%n", DOWN.toSeconds(), ROOMS, total, acks.size(), errors,
                    seenByRoom.values().stream().mapToInt(List::size).sum(), missing(acks).size(), ssubscribes,
                    heapOne >> 20, heapTwo >> 20, recovery);

            assertThat(missing(acks)).as("acked messages bob never got").isEmpty();
            seenByRoom.forEach((room, ids) -> assertThat(ids).as("bob's messages in " + room)
                    .doesNotHaveDuplicates().isSorted());
            assertThat(errors).as("a client publishing 50/s is never rate_limited").doesNotContainKey("rate_limited");
            assertThat(ssubscribes).as("each instance subscribes its %d rooms once", ROOMS).isLessThanOrEqualTo(4L * ROOMS);
            assertThat(heapOne).isLessThan(160L << 20);
            assertThat(heapTwo).isLessThan(160L << 20);
            assertThat(alice.isClosed()).isFalse();
            assertThat(bob.isClosed()).isFalse();
        } finally {
            publisher.shutdownNow();
        }
    }

    /** The id of the first message sent from {@code from} on that was acked, waiting for it. */
    private String awaitAckAfter(int from) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> alice.all(f -> "ack".equals(f.getString("type"))
                && f.getString("ref") != null && Integer.parseInt(f.getString("ref").substring(1)) >= from)
                .stream().findFirst().map(f -> f.getString("id")).orElse(null), id -> id != null);
    }

    private List<JsonObject> replies() {
        return alice.all(f -> f.getString("ref") != null && f.getString("ref").startsWith("p"));
    }

    private List<String> missing(List<JsonObject> acks) {
        java.util.Set<String> seen = bob.all(f -> "message".equals(f.getString("type"))).stream()
                .map(f -> f.getString("id")).collect(Collectors.toSet());
        return acks.stream().map(f -> f.getString("id")).filter(id -> !seen.contains(id)).toList();
    }

    /** The heap in use on the instance, as its metrics report it. */
    private static long heapUsed(InstanceProcess instance) {
        String scrape = RestAssured.given().baseUri("http://127.0.0.1").port(instance.port()).get("/q/metrics")
                .then().statusCode(200).extract().asString();
        return scrape.lines().filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
