package io.switchboard.ws;

import static io.switchboard.testing.Frames.direct;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

/**
 * A recipient who reconnects over and over while a sender keeps sending: every acked direct message reaches one
 * of the recipient's connections or waits in the inbox, whether it was acked {@code online} or {@code stored},
 * even when it was sent in the moment one of those connections was closing.
 */
@QuarkusTest
class ReconnectStormTest extends ChatTest {

    private static final int RECONNECTS = 20;

    @Test
    void noAckedDirectMessageIsLostToAClosingConnection() throws Exception {
        String bob = clients.id("bob");
        ChatClient alice = clients.user(clients.id("alice"));
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean stormOver = new AtomicBoolean();
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            for (int i = 0; !stormOver.get(); i++) {
                JsonObject ack = alice.request(direct(bob, "dm " + i));
                assertThat(ack.getString("type")).isEqualTo("ack");
                acked.add(ack.getString("id"));
                LockSupport.parkNanos(2_000_000);
            }
        });

        Set<String> received = new HashSet<>();
        List<ChatClient> devices = new ArrayList<>();
        for (int i = 0; i < RECONNECTS; i++) {
            ChatClient device = ChatClient.welcomed(ws, "user_id=" + bob);
            devices.add(device);
            LockSupport.parkNanos((10 + 5 * (i % 4)) * 1_000_000L);
            device.closeGracefully();
        }
        stormOver.set(true);
        sender.get();
        try (ChatClient last = ChatClient.welcomed(ws, "user_id=" + bob)) {
            last.assertNothing(f -> false);
            devices.add(last);
            devices.forEach(device -> device.all(f -> "direct".equals(f.getString("type")))
                    .forEach(dm -> received.add(dm.getString("id"))));
        }

        Set<String> lost = new HashSet<>(acked);
        lost.removeAll(received);
        System.out.printf("reconnect storm: %d acked, %d received by %d connections, %d lost%n", acked.size(),
                received.size(), devices.size(), lost.size());
        assertThat(lost).isEmpty();
    }
}
