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
import io.vertx.core.json.JsonObject;

/**
 * A full inbox refuses what it has no room for and keeps what it acked: one sender's junk cannot push out another
 * sender's messages, nor fill the inbox. (Before, the inbox kept the newest and dropped the oldest: mallory's junk
 * evicted alice's acked messages.) Small caps, so the inbox fills in a few messages.
 */
@QuarkusTest
@TestProfile(FullInboxTest.SmallInbox.class)
class FullInboxTest extends ChatTest {

    private static final int PER_USER = 10;
    private static final int PER_SENDER = 5;

    public static class SmallInbox implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.inbox.max-per-user", String.valueOf(PER_USER),
                    "switchboard.inbox.max-per-sender", String.valueOf(PER_SENDER));
        }
    }

    @Test
    void anotherSendersJunkNeitherEvictsNorCrowdsOutWhatWasAcked() {
        String bob = clients.id("bob");
        ChatClient alice = clients.user(clients.id("alice"));
        ChatClient mallory = clients.user(clients.id("mallory"));
        ChatClient carol = clients.user(clients.id("carol"));
        List<String> fromAlice = List.of("a1", "a2", "a3", "a4", "a5");
        for (String body : fromAlice) {
            assertThat(alice.request(direct(bob, body)).getString("delivered")).isEqualTo("stored");
        }

        List<JsonObject> junk = new ArrayList<>();
        for (int i = 0; i < 3 * PER_SENDER; i++) {
            junk.add(mallory.request(direct(bob, "junk " + i)));
        }
        JsonObject carolsTry = carol.request(direct(bob, "c1"));

        List<String> received = new ArrayList<>();
        try (ChatClient device = ChatClient.connect(ws, "user_id=" + bob)) {
            for (int i = 0; i < PER_USER; i++) {
                received.add(device.await("direct").getString("body"));
            }
        }
        assertThat(received).as("bob gets every message acked to alice, then mallory's share")
                .containsExactly("a1", "a2", "a3", "a4", "a5", "junk 0", "junk 1", "junk 2", "junk 3", "junk 4");
        assertThat(junk.subList(0, PER_SENDER)).allMatch(reply -> "stored".equals(reply.getString("delivered")));
        assertThat(junk.subList(PER_SENDER, junk.size())).allSatisfy(refusal -> {
            assertThat(refusal.getString("type")).isEqualTo("error");
            assertThat(refusal.getString("code")).isEqualTo("inbox_full");
            assertThat(refusal.getString("message")).contains("switchboard.inbox.max-per-sender");
        });
        assertThat(carolsTry.getString("code")).as("the inbox holds its most").isEqualTo("inbox_full");
        assertThat(carolsTry.getString("message")).contains("switchboard.inbox.max-per-user");
    }

    @Test
    void whatTheRecipientTookMakesRoomAgain() {
        String bob = clients.id("bob");
        ChatClient mallory = clients.user(clients.id("mallory"));
        for (int i = 0; i < PER_SENDER; i++) {
            mallory.request(direct(bob, "m" + i));
        }
        assertThat(mallory.request(direct(bob, "one too many")).getString("code")).isEqualTo("inbox_full");

        double settled = counter("switchboard_inbox_delivered_total");
        try (ChatClient device = ChatClient.connect(ws, "user_id=" + bob)) {
            for (int i = 0; i < PER_SENDER; i++) {
                device.await("direct");
            }
            awaitInboxSettled(settled, PER_SENDER);
        }
        awaitOffline(bob);

        assertThat(mallory.request(direct(bob, "after he read")).getString("delivered")).isEqualTo("stored");
    }
}
