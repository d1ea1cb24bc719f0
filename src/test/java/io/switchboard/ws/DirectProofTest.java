package io.switchboard.ws;

import static io.switchboard.testing.Frames.direct;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;
import io.vertx.core.json.JsonObject;

/**
 * A live direct message counts as taken only once the device answers the ping that follows it (here within 1 s;
 * {@code direct.proof-timeout} is 3 s by default). A device that stays silent, or drops before it answers, leaves
 * the message in the inbox, and the sender's ack says {@code stored}: nothing acked is lost. A device that has left
 * a proof unanswered that long gets the next messages through the inbox at once, so its sender does not wait again.
 */
@QuarkusTest
@TestProfile(DirectProofTest.QuickProof.class)
class DirectProofTest extends ChatTest {

    private static final int SENT = 3;

    public static class QuickProof implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.direct.proof-timeout", "1S");
        }
    }

    @Test
    void aDeviceThatReadsNothingAndNeverAnswersLeavesItsDirectMessagesInTheInbox() throws Exception {
        String bob = clients.id("bob");
        ChatClient alice = clients.user(clients.id("alice"));
        List<String> acked = new ArrayList<>();
        try (RawSocket silent = RawSocket.upgraded(ws, "user_id=" + bob)) {
            for (int i = 0; i < SENT; i++) {
                JsonObject ack = alice.request(direct(bob, "are you there? " + i));
                assertThat(ack.getString("delivered")).isEqualTo("stored");
                acked.add(ack.getString("id"));
            }
        }

        assertThat(directsOnReconnect(bob)).containsExactlyElementsOf(acked);
    }

    @Test
    void aDeviceThatDropsAfterReadingButBeforeAnsweringLeavesThemInTheInboxToo() throws Exception {
        String bob = clients.id("bob");
        ChatClient alice = clients.user(clients.id("alice"));
        List<String> refs = new ArrayList<>();
        try (RawSocket device = RawSocket.upgraded(ws, "user_id=" + bob)) {
            assertThat(device.readTextMessage()).contains("\"welcome\"");
            for (int i = 0; i < SENT; i++) {
                String ref = "dm" + i;
                alice.send(direct(bob, "read, never acknowledged " + i).put("ref", ref));
                refs.add(ref);
            }
            for (int i = 0; i < SENT; i++) {
                assertThat(device.readTextMessage()).contains("\"direct\"");
            }
            // the kernel took them and the device read them: only the pong it never sends would say so
            device.reset();
        }
        List<String> acked = new ArrayList<>();
        for (String ref : refs) {
            JsonObject ack = alice.await(f -> ref.equals(f.getString("ref")));
            assertThat(ack.getString("delivered")).isEqualTo("stored");
            acked.add(ack.getString("id"));
        }

        assertThat(directsOnReconnect(bob)).containsExactlyElementsOf(acked);
    }

    @Test
    void aDeviceThatAnswersTakesThemOnlineAndTheInboxKeepsNone() {
        String bob = clients.id("bob");
        ChatClient alice = clients.user(clients.id("alice"));
        List<String> acked = new ArrayList<>();
        try (ChatClient phone = ChatClient.welcomed(ws, "user_id=" + bob)) {
            for (int i = 0; i < SENT; i++) {
                alice.send(direct(bob, "burst " + i).put("ref", "b" + i));
            }
            for (int i = 0; i < SENT; i++) {
                String ref = "b" + i;
                JsonObject ack = alice.await(f -> ref.equals(f.getString("ref")));
                assertThat(ack.getString("delivered")).isEqualTo("online");
                acked.add(ack.getString("id"));
            }
            for (String id : acked) {
                phone.await(f -> id.equals(f.getString("id")));
            }
            try (ChatClient laptop = ChatClient.welcomed(ws, "user_id=" + bob)) {
                laptop.assertNothing(f -> "direct".equals(f.getString("type")));
            }
        }
    }

    /** The direct messages a well-behaved device of the user is handed as it connects, in order. */
    private List<String> directsOnReconnect(String user) {
        try (ChatClient device = ChatClient.welcomed(ws, "user_id=" + user)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < SENT; i++) {
                JsonObject dm = device.await("direct");
                assertThat(dm.getBoolean("offline")).isTrue();
                ids.add(dm.getString("id"));
            }
            device.request(new JsonObject().put("type", "ping"));
            assertThat(device.all(f -> "direct".equals(f.getString("type")))).hasSize(SENT);
            return ids;
        }
    }
}
