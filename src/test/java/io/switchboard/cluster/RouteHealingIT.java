package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.switchboard.testing.ChatClient;
import io.switchboard.testing.Frames;
import io.vertx.core.json.JsonObject;

/**
 * An operator (or a policy) deletes an instance's queue, then the exchange, under direct-message traffic: every DM
 * frame is answered within 5 s, nothing acked is lost, and delivery to that instance's users resumes without a
 * restart.
 */
class RouteHealingIT {

    @Test
    void aDeletedQueueAndExchangeAreRedeclaredAndEveryDirectMessageIsAnswered() throws Exception {
        try (Cluster cluster = new Cluster(Map.of());
                ChatClient alice = Cluster.connect(cluster.one, "user_id=alice-heal");
                Traffic traffic = new Traffic(alice, "bob-heal")) {
            ChatClient bob = Cluster.connect(cluster.two, "user_id=bob-heal");
            traffic.send(20);
            awaitLive(traffic, bob, "before");

            deleteQueue(cluster.exchange + ".server." + cluster.two.instanceId());
            traffic.send(100);
            awaitLive(traffic, bob, "after the queue was deleted");

            deleteExchange(cluster.exchange);
            traffic.send(100);
            awaitLive(traffic, bob, "after the exchange was deleted");

            traffic.assertAnsweredWithin(Duration.ofSeconds(5));
            Set<String> delivered = new HashSet<>();
            bob.all(f -> "direct".equals(f.getString("type"))).forEach(f -> delivered.add(f.getString("id")));
            bob.close();
            try (ChatClient back = ChatClient.connect(cluster.two.ws(), "user_id=bob-heal")) {
                back.await("welcome");
                back.assertNothing(f -> false);
                back.all(f -> "direct".equals(f.getString("type"))).forEach(f -> delivered.add(f.getString("id")));
            }
            List<String> lost = new ArrayList<>(traffic.acked());
            lost.removeAll(delivered);
            System.out.printf("route healing: %d sent, %d acked, %d lost%n", traffic.sent(), traffic.acked().size(),
                    lost.size());
            assertThat(lost).isEmpty();
        }
    }

    /** Waits until a fresh DM is acked online and reaches bob's device live. */
    private static void awaitLive(Traffic traffic, ChatClient bob, String when) {
        long from = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonObject ack = traffic.request("probe " + when);
            return "online".equals(ack.getString("delivered"))
                    && !bob.all(f -> ack.getString("id").equals(f.getString("id"))).isEmpty();
        });
        System.out.printf("live delivery %s after %.1f s%n", when, (System.nanoTime() - from) / 1e9);
    }

    private static void deleteQueue(String queue) throws Exception {
        try (Connection connection = factory().newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        }
    }

    private static void deleteExchange(String exchange) throws Exception {
        try (Connection connection = factory().newConnection(); Channel channel = connection.createChannel()) {
            channel.exchangeDelete(exchange);
        }
    }

    private static ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        return factory;
    }

    /**
     * Direct messages from alice to bob. The time each frame was sent and its answer first seen are kept (the
     * answers are looked for every 50 ms), to measure how long each answer took.
     */
    private static final class Traffic implements AutoCloseable {
        private final ChatClient alice;
        private final String to;
        private final ConcurrentMap<String, Long> sentAt = new ConcurrentHashMap<>();
        private final ConcurrentMap<String, Long> answeredAt = new ConcurrentHashMap<>();
        private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        private int next;

        Traffic(ChatClient alice, String to) {
            this.alice = alice;
            this.to = to;
            watch.scheduleWithFixedDelay(() -> {
                long now = System.nanoTime();
                alice.all(f -> f.getString("ref") != null).forEach(f -> answeredAt.putIfAbsent(f.getString("ref"), now));
            }, 50, 50, TimeUnit.MILLISECONDS);
        }

        /** Sends {@code count} DMs 20 ms apart without waiting for their answers. */
        void send(int count) {
            for (int i = 0; i < count; i++) {
                String ref = "dm-" + next++;
                sentAt.put(ref, System.nanoTime());
                alice.send(Frames.direct(to, "traffic " + ref).put("ref", ref));
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }

        JsonObject request(String body) {
            String ref = "probe-" + next++;
            sentAt.put(ref, System.nanoTime());
            alice.send(Frames.direct(to, body).put("ref", ref));
            return alice.await(f -> ref.equals(f.getString("ref")));
        }

        int sent() {
            return sentAt.size();
        }

        List<String> acked() {
            return alice.all(f -> "ack".equals(f.getString("type")) && f.getString("id") != null).stream()
                    .map(f -> f.getString("id")).toList();
        }

        /** Every frame was answered, each within the bound (give or take the 50 ms the answers are looked for). */
        void assertAnsweredWithin(Duration bound) {
            long slack = Duration.ofMillis(100).toNanos();
            try {
                await().atMost(bound.plusSeconds(1)).until(() -> answeredAt.keySet().containsAll(sentAt.keySet()));
            } catch (ConditionTimeoutException reportedBelow) {
                // the frames without an answer are listed below
            }
            List<String> late = new ArrayList<>();
            long slowest = 0;
            for (var sent : sentAt.entrySet()) {
                Long answered = answeredAt.get(sent.getKey());
                long took = answered == null ? Long.MAX_VALUE : answered - sent.getValue();
                slowest = Math.max(slowest, took);
                if (took > bound.toNanos() + slack) {
                    late.add(sent.getKey());
                }
            }
            System.out.printf("DM frames: %d sent, %d answered, %d late or unanswered %s, slowest answer %.1f s%n",
                    sentAt.size(), answeredAt.size(), late.size(), late, slowest / 1e9);
            assertThat(late).as("DM frames answered later than %s, or not at all", bound).isEmpty();
        }

        @Override
        public void close() {
            watch.shutdownNow();
        }
    }
}
