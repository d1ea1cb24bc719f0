package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.leave;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;

/**
 * Many users joining and leaving one room at once, from connections on several event loops: whoever is a member
 * at the end still hears the room. On the distributed engine delivery depends on this instance's Redis
 * subscription, so a subscribe and an unsubscribe that reach Redis out of order would silence the room.
 */
@QuarkusTest
class SubscriptionStormTest extends ChatTest {

    private static final int USERS = 8;
    private static final int CYCLES = 25;

    @Test
    void membersAtTheEndOfAJoinLeaveStormHearTheRoom() {
        String room = clients.id("storm");
        List<ChatClient> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(clients.user(clients.id("u" + i)));
        }
        // every client fires its cycles without waiting, so the servers' commands for the room interleave
        for (ChatClient user : users) {
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                user.send(join(room)).send(leave(room));
            }
            user.send(join(room).put("ref", "last"));
        }
        users.forEach(user -> assertThat(user.await(f -> "last".equals(f.getString("ref"))).getString("type"))
                .isEqualTo("joined"));

        ChatClient speaker = clients.user(clients.id("speaker"));
        assertThat(speaker.request(join(room)).getString("type")).isEqualTo("joined");
        speaker.request(publish(room, "still here?"));

        users.forEach(user -> assertThat(user.await(f -> "message".equals(f.getString("type"))
                && "still here?".equals(f.getString("body")))).isNotNull());
    }
}
