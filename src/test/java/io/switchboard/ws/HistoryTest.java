package io.switchboard.ws;

import static io.switchboard.testing.Frames.history;
import static io.switchboard.testing.Frames.join;
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

@QuarkusTest
class HistoryTest extends ChatTest {

    @Test
    void pagesBackwardsWithBeforeAndLimitOldestFirst() {
        String room = clients.id("room");
        ChatClient a = clients.user(clients.id("alice"));
        a.request(join(room));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(a.request(publish(room, "m" + i)).getString("id"));
        }

        JsonObject newest = a.request(history(room).put("limit", 3));
        JsonObject older = a.request(history(room).put("limit", 3).put("before", ids.get(4)));
        JsonObject oldest = a.request(history(room).put("limit", 3).put("before", ids.get(1)));

        assertThat(bodies(newest)).containsExactly("m4", "m5", "m6");
        assertThat(bodies(older)).containsExactly("m1", "m2", "m3");
        assertThat(bodies(oldest)).containsExactly("m0");
        assertThat(newest.getString("room")).isEqualTo(room);
    }

    @Test
    void defaultsToTheNewestFiftyAndIdsSortAsStrings() {
        String room = clients.id("room");
        ChatClient a = clients.user(clients.id("alice"));
        a.request(join(room));
        for (int i = 0; i < 55; i++) {
            a.request(publish(room, "m" + i));
        }

        JsonArray messages = a.request(history(room)).getJsonArray("messages");

        assertThat(messages).hasSize(50);
        assertThat(messages.getJsonObject(0).getString("body")).isEqualTo("m5");
        List<String> ids = messages.stream().map(m -> ((JsonObject) m).getString("id")).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    /** A reply over the frame size limit (64 KiB) goes out as continuation frames and arrives whole. */
    @Test
    void aPageLargerThanOneFrameArrivesWhole() {
        String room = clients.id("room");
        ChatClient a = clients.user(clients.id("alice"));
        a.request(join(room));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = i + "-" + "x".repeat(4000);
            sent.add(body);
            a.request(publish(room, body));
        }

        JsonObject page = a.request(history(room).put("limit", 20));

        assertThat(page.encode().length()).isGreaterThan(65536);
        assertThat(bodies(page)).containsExactlyElementsOf(sent);
    }

    private static List<String> bodies(JsonObject history) {
        return history.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("body")).toList();
    }
}
