package io.switchboard.ws;

import static io.switchboard.testing.Frames.direct;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class DirectMessageTest extends ChatTest {

    @Test
    void reachesEveryDeviceOfTheRecipientAndTheSendersOtherDevices() {
        String alice = clients.id("alice");
        String bob = clients.id("bob");
        ChatClient sender = clients.user(alice);
        ChatClient senderPhone = clients.user(alice);
        ChatClient b1 = clients.user(bob);
        ChatClient b2 = clients.user(bob);

        JsonObject ack = sender.request(direct(bob, "psst"));

        assertThat(ack.getString("delivered")).isEqualTo("online");
        for (ChatClient device : new ChatClient[] { senderPhone, b1, b2 }) {
            JsonObject dm = device.await("direct");
            assertThat(dm.getString("id")).isEqualTo(ack.getString("id"));
            assertThat(dm.getString("from")).isEqualTo(alice);
            assertThat(dm.getString("to")).isEqualTo(bob);
            assertThat(dm.getString("body")).isEqualTo("psst");
            assertThat(dm.containsKey("offline")).isFalse();
        }
        sender.assertNothing(f -> "direct".equals(f.getString("type")));
    }

    @Test
    void theSeedsTypelessFrameIsADirectMessage() {
        String alice = clients.id("alice");
        String bob = clients.id("bob");
        ChatClient a = clients.user(alice);
        ChatClient b = clients.user(bob);

        a.send(new JsonObject().put("to", bob).put("body", "hi"));

        JsonObject dm = b.await("direct");
        assertThat(dm.getString("from")).isEqualTo(alice);
        assertThat(dm.getString("to")).isEqualTo(bob);
        assertThat(dm.getString("body")).isEqualTo("hi");
        assertThat(a.await("ack").getString("delivered")).isEqualTo("online");
    }

    @Test
    void aSpoofedFromIsIgnored() {
        String alice = clients.id("alice");
        String bob = clients.id("bob");
        ChatClient a = clients.user(alice);
        ChatClient b = clients.user(bob);

        a.send(direct(bob, "it's me").put("from", "the-boss"));

        assertThat(b.await("direct").getString("from")).isEqualTo(alice);
    }
}
