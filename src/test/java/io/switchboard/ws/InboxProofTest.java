package io.switchboard.ws;

import static io.switchboard.testing.Frames.direct;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;
import io.vertx.core.json.JsonObject;

/**
 * The inbox lets go of a message only once a device proved it took it, by answering the ping that follows it:
 * a device that drops right after the upgrade, or reads without answering, leaves everything for the next one.
 */
@QuarkusTest
class InboxProofTest extends ChatTest {

    private static final int WAITING = 10;

    @Test
    void aDeviceThatResetsRightAfterTheUpgradeConsumesNothing() throws Exception {
        String bob = clients.id("bob");
        List<String> stored = storeFor(bob);

        RawSocket.upgraded(ws, "user_id=" + bob).reset();
        awaitOffline(bob);

        assertThat(inboxOf(bob)).containsExactlyElementsOf(stored);
    }

    @Test
    void aDeviceThatReadsButNeverAnswersThePingConsumesNothing() throws Exception {
        String bob = clients.id("bob");
        List<String> stored = storeFor(bob);

        try (RawSocket silent = RawSocket.upgraded(ws, "user_id=" + bob)) {
            assertThat(silent.drain(Duration.ofMillis(500))).isPositive();
        }
        awaitOffline(bob);

        assertThat(inboxOf(bob)).containsExactlyElementsOf(stored);
    }

    @Test
    void aDeviceThatAnswersThePingTakesThemAndTheNextDeviceGetsNone() {
        String bob = clients.id("bob");
        List<String> stored = storeFor(bob);
        double settled = counter("switchboard_inbox_delivered_total");

        try (ChatClient phone = ChatClient.welcomed(ws, "user_id=" + bob)) {
            for (String id : stored) {
                phone.await(f -> id.equals(f.getString("id")));
            }
            awaitInboxSettled(settled, WAITING);
        }
        try (ChatClient laptop = ChatClient.welcomed(ws, "user_id=" + bob)) {
            laptop.assertNothing(f -> "direct".equals(f.getString("type")));
        }
    }

    private List<String> storeFor(String bob) {
        ChatClient alice = clients.user(clients.id("alice"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            JsonObject ack = alice.request(direct(bob, "waiting " + i));
            assertThat(ack.getString("delivered")).isEqualTo("stored");
            ids.add(ack.getString("id"));
        }
        return ids;
    }

    /** What a well-behaved device of the user gets from the inbox, in order. */
    private List<String> inboxOf(String user) {
        ChatClient device = clients.user(user);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            JsonObject dm = device.await("direct");
            assertThat(dm.getBoolean("offline")).isTrue();
            ids.add(dm.getString("id"));
        }
        return ids;
    }
}
