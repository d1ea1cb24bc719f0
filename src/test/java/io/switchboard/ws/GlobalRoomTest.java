package io.switchboard.ws;

import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

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
}
