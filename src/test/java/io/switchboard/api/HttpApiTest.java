package io.switchboard.api;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.Frames.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class HttpApiTest extends ChatTest {

    @Test
    void roomListShowsTypeMembersAndOnlineCounts() {
        String room = clients.id("room");
        clients.user(clients.id("alice")).request(join(room));

        List<Map<String, Object>> rooms = allRooms("viewer");

        assertThat(rooms).contains(Map.of("room", room, "type", "public", "members", 1, "online", 1));
    }

    @Test
    void theRoomListIsPagedByIdWithALinkToTheNextPage() {
        String prefix = clients.id("paged");
        for (String room : List.of(prefix + "-a", prefix + "-b", prefix + "-c")) {
            clients.user(clients.id("alice")).request(join(room));
        }

        // nothing else sorts between this test's unique prefix and its rooms
        Response first = given().queryParam("user_id", "viewer").queryParam("after", prefix).queryParam("limit", 2)
                .get("/api/rooms").then().statusCode(200).extract().response();
        assertThat(first.jsonPath().getList("room", String.class)).containsExactly(prefix + "-a", prefix + "-b");
        assertThat(first.header("Link")).contains("after=" + prefix + "-b", "limit=2", "rel=\"next\"");
        assertThat(given().queryParam("user_id", "viewer").queryParam("after", prefix + "-b").queryParam("limit", 1)
                .get("/api/rooms").then().statusCode(200).extract().jsonPath().getList("room", String.class))
                .containsExactly(prefix + "-c");
    }

    @Test
    void aPageSizeOutOfRangeOrABadCursorIs400() {
        for (String limit : List.of("0", "1001", "-5", "18446744073709551666")) {
            given().queryParam("user_id", "viewer").queryParam("limit", limit).get("/api/rooms").then().statusCode(400);
        }
        given().queryParam("user_id", "viewer").queryParam("after", "not a room").get("/api/rooms").then()
                .statusCode(400);
    }

    /** Every room the user may see, page after page, following each page's link to the next. */
    private static List<Map<String, Object>> allRooms(String user) {
        List<Map<String, Object>> rooms = new ArrayList<>();
        String next = "/api/rooms";
        while (next != null) {
            Response page = given().queryParam("user_id", user).get(next).then().statusCode(200).extract().response();
            rooms.addAll(page.jsonPath().getList("$"));
            String link = page.header("Link");
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        }
        return rooms;
    }

    @Test
    void roomDetailListsMembersAndAnUnknownRoomIs404() {
        String room = clients.id("room");
        String alice = clients.id("alice");
        clients.user(alice).request(join(room));

        given().queryParam("user_id", "viewer").get("/api/rooms/{room}", room).then().statusCode(200)
                .body("room", equalTo(room))
                .body("type", equalTo("public"))
                .body("members", hasItem(Map.of("user", alice, "online", true)));
        given().queryParam("user_id", "viewer").get("/api/rooms/{room}", clients.id("nothing")).then().statusCode(404);
    }

    @Test
    void privateRoomsAreHiddenFromOutsiders() {
        String room = "private:" + clients.id("hush");
        clients.user(clients.id("alice")).request(join(room));

        given().queryParam("user_id", "outsider").get("/api/rooms/{room}", room).then().statusCode(403);
        assertThat(allRooms("outsider")).extracting(listed -> listed.get("room")).doesNotContain(room);
    }

    @Test
    void presenceIsAlways200AndListsSessions() {
        String alice = clients.id("alice");
        clients.user(alice);

        given().queryParam("user_id", "viewer").get("/api/users/{user}/presence", alice).then().statusCode(200)
                .body("user", equalTo(alice))
                .body("online", equalTo(true))
                .body("sessions[0].server", org.hamcrest.Matchers.notNullValue());
        given().queryParam("user_id", "viewer").get("/api/users/{user}/presence", clients.id("nobody"))
                .then().statusCode(200).body("online", equalTo(false));
    }

    @Test
    void administratorsPublishAsTheSystemUserOthersAre403() {
        String room = clients.id("room");
        ChatClient member = clients.user(clients.id("alice"));
        member.request(join(room));

        given().queryParam("user_id", "alice").contentType(ContentType.JSON).body("{\"body\":\"hi\"}")
                .post("/api/rooms/{room}/messages", room).then().statusCode(403);
        given().queryParam("user_id", "root").queryParam("groups", "admin").contentType(ContentType.JSON)
                .body("{\"body\":\"notice\"}")
                .post("/api/rooms/{room}/messages", room).then().statusCode(201).body("from", equalTo("system"));

        JsonObject message = member.await("message");
        assertThat(message.getString("from")).isEqualTo("system");
        assertThat(message.getString("body")).isEqualTo("notice");
    }

    @Test
    void administratorsDisconnectEverySessionOfAUser() {
        String bob = clients.id("bob");
        ChatClient phone = clients.user(bob);
        ChatClient laptop = clients.user(bob);

        given().queryParam("user_id", "alice").delete("/api/users/{user}/sessions", bob).then().statusCode(403);
        given().queryParam("user_id", "root").queryParam("groups", "admin")
                .delete("/api/users/{user}/sessions", bob).then().statusCode(204);

        assertThat(phone.awaitClose()).isEqualTo(1008);
        assertThat(laptop.awaitClose()).isEqualTo(1008);
        awaitOffline(bob);
    }

    @Test
    void aKickWithABanKeepsTheUserOutForItsSpanUntilLifted() {
        String bob = clients.id("bob");
        ChatClient phone = clients.user(bob);

        given().queryParam("user_id", "root").queryParam("groups", "admin").queryParam("ban", "PT10M")
                .delete("/api/users/{user}/sessions", bob).then().statusCode(204);

        assertThat(phone.awaitClose()).isEqualTo(1008);
        assertThat(ChatClient.upgradeStatus(ws, "user_id=" + bob)).as("barred").isEqualTo(403);
        given().queryParam("user_id", "root").queryParam("groups", "admin").queryParam("ban", "PT0S")
                .delete("/api/users/{user}/sessions", bob).then().statusCode(204);
        assertThat(ChatClient.upgradeStatus(ws, "user_id=" + bob)).as("bar lifted").isEqualTo(101);
        for (String invalid : List.of("ten minutes", "-PT1M", "P31D")) {
            given().queryParam("user_id", "root").queryParam("groups", "admin").queryParam("ban", invalid)
                    .delete("/api/users/{user}/sessions", bob).then().statusCode(400);
        }
    }

    @Test
    void theApiNeedsAnIdentityAndValidIds() {
        given().get("/api/rooms").then().statusCode(401);
        given().queryParam("user_id", "viewer").get("/api/users/{user}/presence", "not valid").then().statusCode(400);
    }
}
