package io.switchboard.ws;

import static io.switchboard.testing.Frames.history;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;

@QuarkusTest
class TeamRoomTest extends ChatTest {

    @Test
    void teamMembersFromTheGroupsParameterMayJoinAndPublish() {
        String team = clients.id("eng");
        String room = "team:" + team + ":standup";
        ChatClient a = clients.query("user_id=" + clients.id("alice") + "&groups=" + team + ",ops");

        assertThat(a.request(join(room)).getString("type")).isEqualTo("joined");
        assertThat(a.request(join("team:" + team)).getString("type")).isEqualTo("joined");
        assertThat(a.request(publish(room, "hi team")).getString("type")).isEqualTo("ack");
    }

    @Test
    void usersOutsideTheTeamAreRefusedEverywhere() {
        String team = clients.id("eng");
        String room = "team:" + team;
        clients.query("user_id=" + clients.id("alice") + "&groups=" + team).request(join(room));
        ChatClient outsider = clients.query("user_id=" + clients.id("eve") + "&groups=sales");

        assertThat(outsider.request(join(room)).getString("code")).isEqualTo("forbidden");
        assertThat(outsider.request(history(room)).getString("code")).isEqualTo("forbidden");
        assertThat(outsider.request(publish(room, "x")).getString("code")).isEqualTo("forbidden");
    }
}
