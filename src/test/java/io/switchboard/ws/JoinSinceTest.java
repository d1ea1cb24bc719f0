package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.joinSince;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

/** Catch-up with {@code since}, on a server that keeps only 5 messages per room so trimming can be seen. */
@QuarkusTest
@TestProfile(JoinSinceTest.ShortHistory.class)
class JoinSinceTest extends ChatTest {

    public static class ShortHistory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.history.max-per-room", "5");
        }
    }

    @Test
    void returnsTheMessagesAfterSinceOldestFirstAndComplete() {
        String room = clients.id("room");
        ChatClient a = clients.user(clients.id("alice"));
        a.request(join(room));
        String since = a.request(publish(room, "seen")).getString("id");
        a.request(publish(room, "missed-1"));
        a.request(publish(room, "missed-2"));

        JsonObject joined = clients.user(clients.id("bob")).request(joinSince(room, since));

        assertThat(bodies(joined)).containsExactly("missed-1", "missed-2");
        assertThat(joined.getBoolean("complete")).isTrue();
    }

    @Test
    void saysIncompleteWhenSomeMissedMessagesWereTrimmed() {
        String room = clients.id("room");
        ChatClient a = clients.user(clients.id("alice"));
        a.request(join(room));
        String since = a.request(publish(room, "seen")).getString("id");
        for (int i = 0; i < 8; i++) {
            a.request(publish(room, "m" + i));
        }

        JsonObject joined = a.request(joinSince(room, since));

        assertThat(bodies(joined)).containsExactly("m3", "m4", "m5", "m6", "m7");
        assertThat(joined.getBoolean("complete")).isFalse();
    }

    @Test
    void withoutSinceThereIsNoCatchup() {
        String room = clients.id("room");
        ChatClient a = clients.user(clients.id("alice"));

        JsonObject joined = a.request(join(room));

        assertThat(joined.containsKey("missed")).isFalse();
        assertThat(joined.containsKey("complete")).isFalse();
    }

    @Test
    void messagesPostedDuringTheJoinFollowJoinedInIdOrderWithoutRepeats() {
        String room = clients.id("room");
        ChatClient alice = clients.user(clients.id("alice"));
        ChatClient bob = clients.user(clients.id("bob"));
        alice.request(join(room));
        String since = alice.request(publish(room, "seen")).getString("id");

        for (int i = 0; i < 100; i++) {
            alice.send(publish(room, "m" + i));
        }
        bob.send(joinSince(room, since).put("ref", "catch-up"));
        bob.await(f -> "catch-up".equals(f.getString("ref")));
        bob.request(publish(room, "done"));
        bob.await(f -> "done".equals(f.getString("body")));

        List<JsonObject> frames = bob.all(f -> room.equals(f.getString("room")));
        assertThat(frames.get(0).getString("type")).as("joined comes before the room's messages").isEqualTo("joined");
        List<String> ids = new java.util.ArrayList<>(frames.get(0).getJsonArray("missed").stream()
                .map(m -> ((JsonObject) m).getString("id")).toList());
        frames.stream().filter(f -> "message".equals(f.getString("type"))).forEach(f -> ids.add(f.getString("id")));
        assertThat(ids).as("missed, then live: in id order, none twice").doesNotHaveDuplicates().isSorted();
    }

    private static List<String> bodies(JsonObject joined) {
        return joined.getJsonArray("missed").stream().map(m -> ((JsonObject) m).getString("body")).toList();
    }
}
