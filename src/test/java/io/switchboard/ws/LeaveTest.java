package io.switchboard.ws;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.leave;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class LeaveTest extends ChatTest {

    @Test
    void leaveRepliesLeftAndTellsTheOtherMembers() {
        String room = clients.id("room");
        String bob = clients.id("bob");
        ChatClient a = clients.user(clients.id("alice"));
        ChatClient b = clients.user(bob);
        a.request(join(room));
        b.request(join(room));

        JsonObject left = b.request(leave(room));

        assertThat(left.getString("type")).isEqualTo("left");
        assertThat(left.getString("room")).isEqualTo(room);
        JsonObject news = a.await("member_left");
        assertThat(news.getString("user")).isEqualTo(bob);
    }

    @Test
    void theLastMemberLeavingDeletesTheRoom() {
        String room = clients.id("room");
        ChatClient a = clients.user(clients.id("alice"));
        a.request(join(room));

        a.request(leave(room));

        given().queryParam("user_id", "probe").get("/api/rooms/{room}", room).then().statusCode(404);
    }

    @Test
    void nobodyLeavesTheGlobalRoom() {
        ChatClient a = clients.user(clients.id("alice"));

        JsonObject error = a.request(leave("global"));

        assertThat(error.getString("code")).isEqualTo("forbidden");
    }
}
