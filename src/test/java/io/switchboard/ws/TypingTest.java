package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.typing;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.Frames;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class TypingTest extends ChatTest {

    @Test
    void otherMembersSeeTypingTheTypistDoesNotAndARefIsAcked() {
        String room = clients.id("room");
        String alice = clients.id("alice");
        ChatClient a = clients.user(alice);
        ChatClient b = clients.user(clients.id("bob"));
        a.request(join(room));
        b.request(join(room));

        JsonObject ack = a.request(typing(room));

        assertThat(ack.getString("type")).isEqualTo("ack");
        JsonObject seen = b.await("typing");
        assertThat(seen.getString("room")).isEqualTo(room);
        assertThat(seen.getString("from")).isEqualTo(alice);
        a.assertNothing(f -> Frames.isType(f, "typing"));
    }

    @Test
    void typingWithoutRefGetsNoReplyAndIsNeverStored() {
        String room = clients.id("room");
        ChatClient a = clients.user(clients.id("alice"));
        a.request(join(room));

        a.send(typing(room));

        a.assertNothing(f -> Frames.isType(f, "ack") && f.getString("ref") == null);
        assertThat(a.request(Frames.history(room)).getJsonArray("messages")).isEmpty();
    }

    @Test
    void nonMembersMayNotSignalTyping() {
        String room = clients.id("room");
        clients.user(clients.id("alice")).request(join(room));
        ChatClient outsider = clients.user(clients.id("eve"));

        assertThat(outsider.request(typing(room)).getString("code")).isEqualTo("forbidden");
    }
}
