package io.switchboard.ws;

import static io.switchboard.testing.Frames.history;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.joinSince;
import static io.switchboard.testing.Frames.leave;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

/**
 * A private room that everyone left is gone, and whoever creates it again gets an empty room: none of what
 * its earlier members said, neither in history nor in a catch-up.
 */
@QuarkusTest
class PrivateRoomLifeTest extends ChatTest {

    @Test
    void aRecreatedPrivateRoomShowsNothingOfItsEarlierLife() {
        String room = "private:" + clients.id("x");
        ChatClient alice = clients.user(clients.id("alice"));
        assertThat(alice.request(join(room)).getString("type")).isEqualTo("joined");
        String secret = alice.request(publish(room, "the secret")).getString("id");
        assertThat(alice.request(leave(room)).getString("type")).isEqualTo("left");

        ChatClient mallory = clients.user(clients.id("mallory"));
        assertThat(mallory.request(join(room)).getString("type")).isEqualTo("joined");
        JsonObject page = mallory.request(history(room));
        JsonObject catchup = mallory.request(joinSince(room, secret));
        JsonObject fromTheStart = mallory.request(joinSince(room, "0-0"));

        assertThat(page.getJsonArray("messages")).isEmpty();
        assertThat(catchup.getJsonArray("missed")).isEmpty();
        assertThat(catchup.getBoolean("complete")).isFalse();
        assertThat(fromTheStart.getJsonArray("missed")).isEmpty();
    }
}
