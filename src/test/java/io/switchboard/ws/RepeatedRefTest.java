package io.switchboard.ws;

import static io.switchboard.testing.Frames.direct;
import static io.switchboard.testing.Frames.history;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

/**
 * A client that sends a frame again with the same ref (a retry after {@code timeout}, or after a reply it missed)
 * gets the first frame's ack, same id, and no second message is made. (Before, each copy made a message.)
 */
@QuarkusTest
class RepeatedRefTest extends ChatTest {

    @Test
    void aPublishSentTwiceWithOneRefIsOneMessage() {
        String room = clients.id("room");
        ChatClient alice = clients.user(clients.id("alice"));
        ChatClient bob = clients.user(clients.id("bob"));
        alice.request(join(room));
        bob.request(join(room));

        JsonObject frame = publish(room, "only once").put("ref", "p1");
        List<JsonObject> acks = List.of(sendAndAwaitAck(alice, frame), sendAndAwaitAck(alice, frame));

        assertThat(acks).extracting(ack -> ack.getString("type")).containsExactly("ack", "ack");
        String id = acks.get(0).getString("id");
        assertThat(acks.get(1).getString("id")).isEqualTo(id);
        List<String> kept = alice.request(history(room)).getJsonArray("messages").stream()
                .map(m -> ((JsonObject) m).getString("body")).toList();
        assertThat(kept).containsExactly("only once");
        bob.await(f -> id.equals(f.getString("id")));
        bob.assertNothing(f -> "message".equals(f.getString("type")) && !id.equals(f.getString("id")));
    }

    @Test
    void aDirectMessageSentTwiceWithOneRefIsOneMessage() {
        String bob = clients.id("bob");
        ChatClient alice = clients.user(clients.id("alice"));

        JsonObject frame = direct(bob, "only once").put("ref", "d1");
        List<JsonObject> acks = List.of(sendAndAwaitAck(alice, frame), sendAndAwaitAck(alice, frame));

        assertThat(acks).extracting(ack -> ack.getString("delivered")).containsExactly("stored", "stored");
        assertThat(acks.get(1).getString("id")).isEqualTo(acks.get(0).getString("id"));
        try (ChatClient device = ChatClient.connect(ws, "user_id=" + bob)) {
            assertThat(device.await("direct").getString("id")).isEqualTo(acks.get(0).getString("id"));
            device.assertNothing(f -> "direct".equals(f.getString("type"))
                    && !acks.get(0).getString("id").equals(f.getString("id")));
        }
    }

    @Test
    void aRefReusedForAnotherMessageSendsIt() {
        String room = clients.id("room");
        ChatClient alice = clients.user(clients.id("alice"));
        alice.request(join(room));

        String first = sendAndAwaitAck(alice, publish(room, "one").put("ref", "same")).getString("id");
        String second = sendAndAwaitAck(alice, publish(room, "two").put("ref", "same")).getString("id");

        assertThat(second).isNotEqualTo(first);
        List<String> kept = alice.request(history(room)).getJsonArray("messages").stream()
                .map(m -> ((JsonObject) m).getString("body")).toList();
        assertThat(kept).containsExactly("one", "two");
    }

    /** Sends the frame as it is, its ref included, and waits for the next reply carrying that ref. */
    private static JsonObject sendAndAwaitAck(ChatClient client, JsonObject frame) {
        String ref = frame.getString("ref");
        client.send(frame);
        return client.await(f -> ref.equals(f.getString("ref")));
    }
}
