package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.joinSince;
import static io.switchboard.testing.Frames.publish;
import static io.switchboard.testing.Frames.typing;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * A client that asks for catch-up over and over and never reads the replies: once half its outbound bound is
 * unread, the next ones are refused ({@code rate_limited}) instead of being fetched and encoded, the connection is
 * not closed as a slow consumer, and a watcher on the same server keeps its ping answered fast. The frame rate is
 * unlimited here, so only what the client left unread refuses them.
 */
@QuarkusTest
@TestProfile(UnreadRepliesTest.NoRateLimit.class)
class UnreadRepliesTest extends ChatTest {

    static final int STORED = 100;
    static final int REQUESTS = 200;
    /** Six bytes of JSON per character: each listing is cut at max-reply-bytes (256 KiB). */
    static final String ESCAPED_BODY = "\u0001".repeat(1000);

    public static class NoRateLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.messages-per-second", "100000",
                    "switchboard.limits.burst", "100000",
                    "switchboard.limits.max-reply-bytes", "262144");
        }
    }

    @Test
    void catchUpIsRefusedWhileTheClientLeavesRepliesUnreadAndOthersAreNotSlowed() throws Exception {
        String room = clients.id("room");
        String readerId = clients.id("reader");
        ChatClient author = clients.user(clients.id("author"));
        author.request(join(room));
        for (int i = 0; i < STORED; i++) {
            author.request(publish(room, ESCAPED_BODY));
        }
        ChatClient watcher = clients.user(clients.id("watcher"));
        watcher.request(join(room));

        try (RawSocket reader = RawSocket.upgradedWithSmallBuffer(ws, "user_id=" + readerId)) {
            for (int i = 0; i < REQUESTS; i++) {
                reader.sendFrame(0x1, utf8(joinSince(room, "0-0").put("ref", "j" + i)), false);
            }
            // frames of a connection are handled in order: the watcher sees this typing once all are handled
            reader.sendFrame(0x1, utf8(typing(room)), false);
            long slowest = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (watcher.all(f -> "typing".equals(f.getString("type"))).isEmpty() && System.nanoTime() < deadline) {
                long sent = System.nanoTime();
                watcher.request(new JsonObject().put("type", "ping"));
                slowest = Math.max(slowest, System.nanoTime() - sent);
            }

            List<JsonObject> replies = new ArrayList<>();
            String text;
            while (replies.size() < REQUESTS && (text = reader.readTextMessage()) != null) {
                JsonObject frame = new JsonObject(text);
                if (frame.getString("ref") != null) {
                    replies.add(frame);
                }
            }
            List<JsonObject> refused = replies.stream().filter(f -> "error".equals(f.getString("type"))).toList();
            long joined = replies.size() - refused.size();
            System.out.printf("UnreadRepliesTest: %d joined, %d refused of %d, watcher's slowest ping->pong %d ms%n",
                    joined, refused.size(), REQUESTS, Duration.ofNanos(slowest).toMillis());

            assertThat(replies.size()).as("replies before the connection ended").isEqualTo(REQUESTS);
            assertThat(refused).isNotEmpty().allSatisfy(error -> {
                assertThat(error.getString("code")).isEqualTo("rate_limited");
                assertThat(error.getString("message")).startsWith("read what was sent first");
            });
            assertThat(joined).isBetween(1L, (long) REQUESTS / 5);
            assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(500));
            reader.sendFrame(0x1, utf8(new JsonObject().put("type", "ping").put("ref", "still-there")), false);
            while ((text = reader.readTextMessage()) != null && !text.contains("still-there")) {
                // frames sent meanwhile (the member news of the room) come first
            }
            assertThat(text).as("the pong of a connection still open").contains("pong");
        }
    }

    private static byte[] utf8(JsonObject frame) {
        return frame.encode().getBytes(StandardCharsets.UTF_8);
    }
}
