package io.switchboard.ws;

import static io.switchboard.testing.Frames.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class GlobalRoomTest extends ChatTest {

    @Test
    void everyoneIsInGlobalButOnlyAdministratorsPublishThere() {
        ChatClient user = clients.user(clients.id("alice"));
        ChatClient admin = clients.query("user_id=" + clients.id("root") + "&groups=admin");

        JsonObject refused = user.request(publish("global", "hello all"));
        JsonObject ack = admin.request(publish("global", "maintenance at noon"));

        assertThat(refused.getString("code")).isEqualTo("forbidden");
        assertThat(ack.getString("type")).isEqualTo("ack");
        JsonObject announcement = user.await(f -> "message".equals(f.getString("type"))
                && ack.getString("id").equals(f.getString("id")));
        assertThat(announcement.getString("room")).isEqualTo("global");
    }

    @Test
    void globalListsWhoIsOnlineNotEveryoneEverSeen() {
        String gone = clients.id("gone");
        ChatClient visitor = clients.user(gone);
        visitor.close();
        awaitOffline(gone);
        String here = clients.id("here");
        ChatClient client = clients.user(here);

        JsonObject presence = client.request(new JsonObject().put("type", "presence").put("room", "global"));
        List<String> members = given().queryParam("user_id", here).get("/api/rooms/global").then().statusCode(200)
                .extract().jsonPath().getList("members.user");

        assertThat(presence.getJsonArray("online").getList()).contains(here).doesNotContain(gone).hasSizeLessThanOrEqualTo(100);
        assertThat(presence.getInteger("count")).isPositive();
        assertThat(members).contains(here).doesNotContain(gone).hasSizeLessThanOrEqualTo(100);
    }
}
