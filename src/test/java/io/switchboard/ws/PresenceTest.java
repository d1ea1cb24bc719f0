package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.presence;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;

@QuarkusTest
class PresenceTest extends ChatTest {

    @Test
    void listsTheMembersWhoAreOnline() {
        String room = clients.id("room");
        String alice = clients.id("alice");
        String bob = clients.id("bob");
        String carol = clients.id("carol");
        ChatClient a = clients.user(alice);
        a.request(join(room));
        clients.user(bob).request(join(room));
        try (ChatClient c = ChatClient.welcomed(ws, "user_id=" + carol)) {
            c.request(join(room));
        }
        awaitOffline(carol);

        assertThat(a.request(presence(room)).getJsonArray("online").getList()).containsExactly(alice, bob);
    }

    @Test
    void aUserIsOnlineWhileAnyDeviceIsConnected() {
        String dave = clients.id("dave");
        assertThat(online(dave)).isFalse();

        try (ChatClient phone = ChatClient.welcomed(ws, "user_id=" + dave)) {
            try (ChatClient laptop = ChatClient.welcomed(ws, "user_id=" + dave)) {
                assertThat(online(dave)).isTrue();
            }
            assertThat(online(dave)).isTrue();
        }
        awaitOffline(dave);
    }
}
