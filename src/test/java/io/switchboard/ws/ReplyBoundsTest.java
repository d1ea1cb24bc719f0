package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.joinSince;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Replies that list stored messages stay within 100 messages and 1 MiB, however the bodies inflate once escaped
 * (a control character is six bytes of JSON): the newest that fit come back, marked {@code complete:false}.
 */
@QuarkusTest
class ReplyBoundsTest extends ChatTest {

    private static final int MAX_REPLY_BYTES = 1024 * 1024;
    private static final String ESCAPED_BODY = "\u0001".repeat(4096);

    @Test
    void catchUpAndHistoryRepliesAreBoundedInBytesAndKeepTheNewest() {
        String room = clients.id("swollen");
        ChatClient author = clients.user(clients.id("author"));
        author.request(join(room));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ids.add(author.request(publish(room, ESCAPED_BODY)).getString("id"));
        }
        ChatClient reader = clients.user(clients.id("reader"));

        JsonObject joined = reader.request(joinSince(room, "0-0"));
        JsonObject history = reader.request(new JsonObject().put("type", "history").put("room", room).put("limit", 100));

        for (JsonObject reply : List.of(joined, history)) {
            JsonArray listed = reply.getJsonArray(reply == joined ? "missed" : "messages");
            assertThat(reply.encode().length()).isLessThanOrEqualTo(MAX_REPLY_BYTES + 4096);
            assertThat(listed.size()).isBetween(1, 100).isLessThan(150);
            assertThat(listed.getJsonObject(listed.size() - 1).getString("id")).isEqualTo(ids.get(ids.size() - 1));
            assertThat(reply.getBoolean("complete")).isFalse();
        }
    }
}
