package io.switchboard.ws;

import static io.switchboard.testing.Frames.history;
import static io.switchboard.testing.Frames.invite;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.presence;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class PrivateRoomTest extends ChatTest {

    @Test
    void theCreatorInvitesAndOnlyTheInvitedMayJoin() {
        String room = "private:" + clients.id("plans");
        String alice = clients.id("alice");
        String bob = clients.id("bob");
        ChatClient a = clients.user(alice);
        ChatClient b = clients.user(bob);
        ChatClient eve = clients.user(clients.id("eve"));
        assertThat(a.request(join(room)).getString("type")).isEqualTo("joined");

        assertThat(b.request(join(room)).getString("code")).isEqualTo("forbidden");
        JsonObject ack = a.request(invite(room, bob));
        JsonObject invited = b.await("invited");
        JsonObject joined = b.request(join(room));

        assertThat(ack.getString("type")).isEqualTo("ack");
        assertThat(invited.getString("room")).isEqualTo(room);
        assertThat(invited.getString("from")).isEqualTo(alice);
        assertThat(joined.getString("type")).isEqualTo("joined");
        assertThat(eve.request(join(room)).getString("code")).isEqualTo("forbidden");
    }

    @Test
    void outsidersSeeNeitherHistoryNorPresenceNorMayTheyInvite() {
        String room = "private:" + clients.id("secret");
        clients.user(clients.id("alice")).request(join(room));
        ChatClient eve = clients.user(clients.id("eve"));

        assertThat(eve.request(history(room)).getString("code")).isEqualTo("forbidden");
        assertThat(eve.request(presence(room)).getString("code")).isEqualTo("forbidden");
        assertThat(eve.request(invite(room, clients.id("eve"))).getString("code")).isEqualTo("forbidden");
    }

    @Test
    void invitationsAreForPrivateRoomsOnly() {
        String room = clients.id("public");
        ChatClient a = clients.user(clients.id("alice"));
        a.request(join(room));

        assertThat(a.request(invite(room, clients.id("bob"))).getString("code")).isEqualTo("bad_request");
    }
}
