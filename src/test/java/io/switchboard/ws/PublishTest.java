package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.Frames;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class PublishTest extends ChatTest {

    @Test
    void everyConnectionOfEveryMemberGetsTheMessageAndTheSenderAnAck() {
        String room = clients.id("room");
        String alice = clients.id("alice");
        ChatClient a = clients.user(alice);
        ChatClient aPhone = clients.user(alice);
        ChatClient b = clients.user(clients.id("bob"));
        a.request(join(room));
        b.request(join(room));

        JsonObject ack = a.request(publish(room, "hello").put("from", "mallory"));

        assertThat(ack.getString("type")).isEqualTo("ack");
        String id = ack.getString("id");
        for (ChatClient member : new ChatClient[] { a, aPhone, b }) {
            JsonObject message = member.await("message");
            assertThat(message.getString("id")).isEqualTo(id);
            assertThat(message.getString("room")).isEqualTo(room);
            assertThat(message.getString("from")).isEqualTo(alice);
            assertThat(message.getString("body")).isEqualTo("hello");
            assertThat(message.getLong("ts")).isPositive();
        }
    }

    @Test
    void anOutsiderReceivesNothingAndMayNotPublish() {
        String room = clients.id("room");
        ChatClient a = clients.user(clients.id("alice"));
        ChatClient outsider = clients.user(clients.id("eve"));
        a.request(join(room));

        a.request(publish(room, "members only"));
        JsonObject refused = outsider.request(publish(room, "let me in"));

        assertThat(refused.getString("code")).isEqualTo("forbidden");
        outsider.assertNothing(f -> Frames.isType(f, "message"));
    }
}
