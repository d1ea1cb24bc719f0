package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * A client that stops reading: the server queues at most {@code outbound-queue-bytes} for it, then closes it
 * with 1008, while the other members keep receiving everything.
 */
@QuarkusTest
@TestProfile(SlowConsumerTest.SmallQueue.class)
class SlowConsumerTest extends ChatTest {

    static final int MESSAGES = 2500;
    static final int BATCH = 25;
    static final String BODY = "x".repeat(4000);

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.outbound-queue-bytes", "262144",
                    "switchboard.limits.slow-consumer-linger", "5S",
                    "switchboard.limits.messages-per-second", "100000",
                    "switchboard.limits.burst", "100000");
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedAndOthersKeepReceiving() throws Exception {
        String room = clients.id("room");
        ChatClient publisher = clients.user(clients.id("publisher"));
        ChatClient fast = clients.user(clients.id("fast"));
        publisher.request(join(room));
        fast.request(join(room));
        String slowUser = clients.id("slow");
        CompletableFuture<Short> slowClosed = new CompletableFuture<>();
        ClientWebSocket slow = vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(4096))
                .webSocket();
        slow.textMessageHandler(text -> {
        });
        slow.closeHandler(v -> slowClosed.complete(slow.closeStatusCode()));
        slow.connect(new WebSocketConnectOptions().setHost(ws.getHost()).setPort(ws.getPort())
                .setURI("/ws?user_id=" + slowUser)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        slow.writeTextMessage(join(room).encode());
        fast.await(f -> "member_joined".equals(f.getString("type")) && slowUser.equals(f.getString("user")));
        slow.pause();

        // in batches the fast member keeps up with, so only the slow one falls behind
        for (int batch = 0; batch < MESSAGES / BATCH; batch++) {
            for (int i = 0; i < BATCH; i++) {
                publisher.send(publish(room, BODY));
            }
            for (int i = 0; i < BATCH; i++) {
                fast.await("message");
            }
        }
        slow.resume();

        assertThat(slowClosed.get(30, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    }

    @Test
    void aSlowConsumerThatNeverReadsAgainLosesItsConnectionAfterTheLinger() throws Exception {
        String room = clients.id("room");
        ChatClient publisher = clients.user(clients.id("publisher"));
        publisher.request(join(room));
        String stuckUser = clients.id("stuck");
        try (RawSocket stuck = RawSocket.upgradedWithSmallBuffer(ws, "user_id=" + stuckUser)) {
            stuck.sendFrame(0x1, join(room).encode().getBytes(StandardCharsets.UTF_8), false);
            publisher.await(f -> "member_joined".equals(f.getString("type")));
            for (int batch = 0; batch < MESSAGES / BATCH; batch++) {
                for (int i = 0; i < BATCH; i++) {
                    publisher.send(publish(room, BODY));
                }
                for (int i = 0; i < BATCH; i++) {
                    publisher.await("message");
                }
            }
            publisher.request(new JsonObject().put("type", "ping"));
            long flooded = System.nanoTime();

            // its 1008 is stuck behind what it never read; the connection goes anyway, long before the ping timeout
            await().atMost(Duration.ofSeconds(10)).until(() -> !online(stuckUser));
            assertThat(Duration.ofNanos(System.nanoTime() - flooded)).isLessThan(Duration.ofSeconds(10));
            // cut with a reset, so the kernel drops the unread bytes at once instead of lingering in FIN-WAIT-1
            assertThat(stuck.resetByServerWithin(Duration.ofSeconds(10))).isTrue();
        }
    }
}
