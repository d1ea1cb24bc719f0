package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.joinSince;
import static io.switchboard.testing.Frames.publish;
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
import io.switchboard.testing.Frames;
import io.vertx.core.json.JsonObject;

/**
 * Catch-up and history replies are paid for by the bytes they list, from the connection's own frame bucket. The
 * bucket here holds 300 tokens and refills at one a second, and a token buys 1 KiB: a reply of 100 messages of
 * about 1.1 KB costs about 110 tokens, so three replies are answered (the third takes the bucket below empty)
 * and everything after them is {@code rate_limited} for half a minute, however fast the machine is.
 */
@QuarkusTest
@TestProfile(ReplyCostTest.SlowRefill.class)
class ReplyCostTest extends ChatTest {

    static final int STORED = 100;
    static final int REQUESTS = 40;

    public static class SlowRefill implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.messages-per-second", "1",
                    "switchboard.limits.burst", "300",
                    "switchboard.limits.reply-bytes-per-token", "1024");
        }
    }

    @Test
    void repliesListingMessagesSpendTheBucketByWhatTheyList() {
        String room = clients.id("room");
        ChatClient author = clients.user(clients.id("author"));
        author.request(join(room));
        for (int i = 0; i < STORED; i++) {
            author.send(publish(room, "x".repeat(1000)).put("ref", "p" + i));
        }
        for (int i = 0; i < STORED; i++) {
            String ref = "p" + i;
            assertThat(author.await(f -> ref.equals(f.getString("ref"))).getString("type")).isEqualTo("ack");
        }
        ChatClient reader = clients.user(clients.id("reader"));

        for (int i = 0; i < REQUESTS; i++) {
            JsonObject frame = i % 2 == 0 ? joinSince(room, "0-0") : Frames.history(room).put("limit", STORED);
            reader.send(frame.put("ref", "q" + i));
        }
        List<JsonObject> answered = new ArrayList<>();
        List<JsonObject> refused = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String ref = "q" + i;
            JsonObject reply = reader.await(f -> ref.equals(f.getString("ref")));
            (reply.getString("type").equals("error") ? refused : answered).add(reply);
        }

        assertThat(answered.size()).as("replies answered of %d", REQUESTS).isEqualTo(3);
        assertThat(answered).allSatisfy(reply -> assertThat(reply.getJsonArray(
                reply.getString("type").equals("joined") ? "missed" : "messages")).hasSize(STORED));
        assertThat(refused).allSatisfy(reply -> assertThat(reply.getString("code")).isEqualTo("rate_limited"));
        // the debt is the connection's: a cheap frame waits for the refill too
        assertThat(reader.request(new JsonObject().put("type", "ping")).getString("code")).isEqualTo("rate_limited");
    }
}
