package io.switchboard.ws;

import static io.switchboard.testing.Frames.direct;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class OfflineInboxTest extends ChatTest {

    @Test
    void messagesForAnOfflineUserAreStoredAndDeliveredAfterWelcomeOldestFirst() {
        String bob = clients.id("bob");
        ChatClient a = clients.user(clients.id("alice"));

        JsonObject first = a.request(direct(bob, "one"));
        JsonObject second = a.request(direct(bob, "two"));
        assertThat(first.getString("delivered")).isEqualTo("stored");
        assertThat(second.getString("delivered")).isEqualTo("stored");

        double settled = counter("switchboard_inbox_delivered_total");
        try (ChatClient b = ChatClient.connect(ws, "user_id=" + bob)) {
            JsonObject welcome = b.await(f -> true);
            assertThat(welcome.getString("type")).isEqualTo("welcome");
            List<JsonObject> waiting = List.of(b.await("direct"), b.await("direct"));
            assertThat(waiting).extracting(m -> m.getString("body")).containsExactly("one", "two");
            assertThat(waiting).allMatch(m -> m.getBoolean("offline"));
            // the client answered the ping that followed them: they have left the inbox
            awaitInboxSettled(settled, 2);
        }
        try (ChatClient again = ChatClient.welcomed(ws, "user_id=" + bob)) {
            again.assertNothing(f -> "direct".equals(f.getString("type")));
        }
    }
}
