package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class JoinTest extends ChatTest {

    @Test
    void joinCreatesTheRoomAndListsMembersWithTheirPresence() {
        String alice = clients.id("alice");
        String room = clients.id("new-room");
        ChatClient a = clients.user(alice);

        JsonObject joined = a.request(join(room));

        assertThat(joined.getString("type")).isEqualTo("joined");
        assertThat(joined.getString("room")).isEqualTo(room);
        assertThat(joined.getJsonArray("members").getList())
                .containsExactly(new JsonObject().put("user", alice).put("online", true).getMap());
    }

    @Test
    void otherMembersAreToldAndTheJoinerIsListedOnline() {
        String alice = clients.id("alice");
        String bob = clients.id("bob");
        String room = clients.id("room");
        ChatClient a = clients.user(alice);
        a.request(join(room));
        ChatClient b = clients.user(bob);

        JsonObject joined = b.request(join(room));

        assertThat(joined.getJsonArray("members")).hasSize(2);
        JsonObject news = a.await("member_joined");
        assertThat(news.getString("room")).isEqualTo(room);
        assertThat(news.getString("user")).isEqualTo(bob);
        b.assertNothing(f -> "member_joined".equals(f.getString("type")) && bob.equals(f.getString("user")));
    }

    @Test
    void membersWhoAreOfflineAreListedOffline() {
        String alice = clients.id("alice");
        String room = clients.id("room");
        try (ChatClient gone = ChatClient.welcomed(ws, "user_id=" + alice)) {
            gone.request(join(room));
        }
        awaitOffline(alice);
        ChatClient b = clients.user(clients.id("bob"));

        JsonObject joined = b.request(join(room));

        assertThat(joined.getJsonArray("members").getList())
                .contains(new JsonObject().put("user", alice).put("online", false).getMap());
    }
}
