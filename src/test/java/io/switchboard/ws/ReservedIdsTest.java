package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

/**
 * Names that would pass for something they are not: nobody may be {@code system}, the author of API posts, and
 * the special rooms have no look-alikes in other letter case, which would be public rooms in disguise.
 */
@QuarkusTest
class ReservedIdsTest extends ChatTest {

    @Test
    void nobodyConnectsAsTheSystemUser() {
        assertThat(ChatClient.upgradeStatus(ws, "user_id=system")).isEqualTo(401);
        assertThat(ChatClient.upgradeStatus(ws, "user_id=System")).isEqualTo(401);
    }

    @Test
    void lookAlikesOfTheSpecialRoomsAreRefused() {
        ChatClient client = clients.user(clients.id("alice"));
        for (String room : List.of("Global", "GLOBAL", "Private:" + clients.id("x"), "TEAM:" + clients.id("x"))) {
            JsonObject reply = client.request(join(room));
            assertThat(reply.getString("code")).as(room).isEqualTo("bad_request");
        }
    }

    @Test
    void historyBeforeTheFirstPossibleIdIsAnEmptyPage() {
        String room = clients.id("lobby");
        ChatClient client = clients.user(clients.id("bob"));
        client.request(join(room));

        JsonObject reply = client.request(new JsonObject().put("type", "history").put("room", room).put("before", "0-0"));

        assertThat(reply.getString("type")).isEqualTo("history");
        assertThat(reply.getJsonArray("messages")).isEmpty();
    }
}
