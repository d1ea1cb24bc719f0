package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class WelcomeTest extends ChatTest {

    @Test
    void welcomeNamesUserSessionServerAndTheRoomsTheUserIsIn() {
        String alice = clients.id("alice");
        String room = clients.id("lobby");
        clients.user(alice).request(join(room));

        try (ChatClient second = ChatClient.connect(ws, "user_id=" + alice)) {
            JsonObject welcome = second.await("welcome");

            assertThat(welcome.getString("user")).isEqualTo(alice);
            assertThat(welcome.getString("session")).isNotBlank();
            assertThat(welcome.getString("server")).isNotBlank();
            assertThat(welcome.getJsonArray("rooms").getList()).contains("global", room);
        }
    }

    @Test
    void everySessionHasItsOwnId() {
        String bob = clients.id("bob");
        try (ChatClient one = ChatClient.connect(ws, "user_id=" + bob);
                ChatClient two = ChatClient.connect(ws, "user_id=" + bob)) {
            assertThat(one.await("welcome").getString("session"))
                    .isNotEqualTo(two.await("welcome").getString("session"));
        }
    }
}
