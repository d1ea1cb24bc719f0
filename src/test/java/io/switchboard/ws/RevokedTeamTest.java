package io.switchboard.ws;

import static io.switchboard.testing.Frames.history;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;

/**
 * Team access follows the identity a user connects with now, not the one they joined with: a user whose groups
 * no longer list the team is out of its rooms on connecting, and no device of theirs without the team hears them.
 */
@QuarkusTest
class RevokedTeamTest extends ChatTest {

    @Test
    void aUserWhoLostTheTeamIsOutOfItsRoomsOnTheNextConnection() {
        String team = clients.id("payroll");
        String room = "team:" + team;
        String eve = clients.id("eve");
        ChatClient bob = clients.query("user_id=" + clients.id("bob") + "&groups=" + team);
        bob.request(join(room));
        ChatClient before = clients.query("user_id=" + eve + "&groups=" + team);
        assertThat(before.request(join(room)).getString("type")).isEqualTo("joined");
        before.close();

        ChatClient after = clients.query("user_id=" + eve);

        assertThat(after.all(f -> "welcome".equals(f.getString("type"))).get(0).getJsonArray("rooms")).doesNotContain(room);
        assertThat(after.request(publish(room, "still here")).getString("code")).isEqualTo("forbidden");
        assertThat(after.request(history(room)).getString("code")).isEqualTo("forbidden");
        bob.await(f -> "member_left".equals(f.getString("type")) && eve.equals(f.getString("user")));
        bob.request(publish(room, "salaries"));
        after.assertNothing(f -> "message".equals(f.getString("type")));
    }

    @Test
    void membershipFollowsTheNewestIdentityOnEveryDevice() {
        String team = clients.id("ops");
        String room = "team:" + team;
        String carol = clients.id("carol");
        ChatClient oldToken = clients.query("user_id=" + carol + "&groups=" + team);
        oldToken.request(join(room));
        ChatClient speaker = clients.query("user_id=" + clients.id("dave") + "&groups=" + team);
        speaker.request(join(room));

        ChatClient newToken = clients.query("user_id=" + carol);

        oldToken.await(f -> "left".equals(f.getString("type")) && room.equals(f.getString("room")));
        speaker.request(publish(room, "pager rotation"));
        oldToken.assertNothing(f -> "message".equals(f.getString("type")));
        newToken.assertNothing(f -> "message".equals(f.getString("type")));
    }
}
