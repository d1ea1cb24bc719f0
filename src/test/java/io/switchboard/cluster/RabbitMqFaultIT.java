package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.switchboard.testing.ChatClient;
import io.switchboard.testing.Frames;
import io.vertx.core.json.JsonObject;

/**
 * RabbitMQ cut for 10 s under steady cross-instance direct messages: nothing acked is lost (delivered, or kept
 * in the inbox and delivered on reconnect), and consumption resumes by itself once RabbitMQ is back.
 */
class RabbitMqFaultIT {

    @Test
    void aTenSecondCutLosesNoAckedDirectMessage() throws Exception {
        try (TcpProxy rabbit = new TcpProxy(5672);
                Cluster cluster = new Cluster(Map.of("RABBITMQ_PORT", String.valueOf(rabbit.port())))) {
            ChatClient alice = Cluster.connect(cluster.one, "user_id=alice-rmq");
            ChatClient bob = Cluster.connect(cluster.two, "user_id=bob-rmq");
            Set<String> acked = new HashSet<>();
            int sent = 0;
            for (; sent < 5; sent++) {
                acked.add(send(alice, sent));
            }

            rabbit.cut();
            long cutAt = System.nanoTime();
            while (System.nanoTime() - cutAt < Duration.ofSeconds(10).toNanos()) {
                acked.add(send(alice, sent++));
                Thread.sleep(200);
            }
            rabbit.restore();
            long restored = System.nanoTime();
            int[] next = { sent };
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonObject ack = alice.request(Frames.direct("bob-rmq", "after " + next[0]++));
                acked.add(ack.getString("id"));
                return "online".equals(ack.getString("delivered"))
                        && bob.all(f -> ack.getString("id").equals(f.getString("id"))).size() == 1;
            });
            double recovery = (System.nanoTime() - restored) / 1e9;

            Set<String> delivered = new HashSet<>();
            bob.all(f -> "direct".equals(f.getString("type"))).forEach(f -> delivered.add(f.getString("id")));
            bob.close();
            try (ChatClient back = ChatClient.connect(cluster.two.ws(), "user_id=bob-rmq")) {
                back.await("welcome");
                back.assertNothing(f -> false);
                back.all(f -> "direct".equals(f.getString("type"))).forEach(f -> delivered.add(f.getString("id")));
            }
            long lost = acked.stream().filter(id -> !delivered.contains(id)).count();
            System.out.printf("rabbitmq cut 10 s: sent %d, acked %d, delivered live or from the inbox %d, lost %d, "
                    + "recovery %.1f s%n", next[0], acked.size(), delivered.size(), lost, recovery);
            assertThat(lost).isZero();
            alice.close();
        }
    }

    private static String send(ChatClient alice, int i) {
        JsonObject ack = alice.request(Frames.direct("bob-rmq", "dm " + i));
        assertThat(ack.getString("type")).as("every DM is acked, online or stored: %s", ack).isEqualTo("ack");
        return ack.getString("id");
    }
}
