package io.switchboard.ws;

import static io.switchboard.testing.Frames.invite;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/** The abuse limits, with small values so they are reached quickly. */
@QuarkusTest
@TestProfile(LimitsTest.SmallLimits.class)
class LimitsTest extends ChatTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.messages-per-second", "20",
                    "switchboard.limits.burst", "20",
                    "switchboard.limits.flood-refusals", "30",
                    "switchboard.limits.max-connections-per-user", "2",
                    "switchboard.limits.max-rooms-per-user", "3",
                    "switchboard.limits.invitations-per-room", "2",
                    "switchboard.auth.allowed-origins", "https://chat.example");
        }
    }

    @Test
    void framesOverTheRateAreRefusedAndTheConnectionStaysOpen() {
        ChatClient client = clients.user(clients.id("fast"));

        for (int i = 0; i < 40; i++) {
            client.send(new JsonObject().put("type", "ping").put("ref", "p" + i));
        }

        JsonObject refused = client.await("error");
        assertThat(refused.getString("code")).isEqualTo("rate_limited");
        assertThat(refused.getString("ref")).startsWith("p");
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void aClientThatKeepsFloodingIsClosedWith1008() {
        ChatClient client = clients.user(clients.id("flood"));

        for (int i = 0; i < 200; i++) {
            client.send(new JsonObject().put("type", "ping"));
        }

        assertThat(client.awaitClose()).isEqualTo(1008);
    }

    @Test
    void aUserHoldsAtMostTheAllowedConnections() {
        String user = clients.id("many");
        clients.user(user);
        clients.user(user);

        assertThat(ChatClient.upgradeStatus(ws, "user_id=" + user)).isEqualTo(429);
    }

    @Test
    void aUserIsInAtMostTheAllowedRooms() {
        ChatClient client = clients.user(clients.id("joiner"));
        client.request(join(clients.id("r1")));
        client.request(join(clients.id("r2")));

        // global counts as one of the three
        assertThat(client.request(join(clients.id("r3"))).getString("code")).isEqualTo("forbidden");
        assertThat(client.request(publish("global", "x")).getString("code")).isEqualTo("forbidden");
    }

    @Test
    void aPrivateRoomHoldsAtMostTheAllowedInvitations() {
        String room = "private:" + clients.id("club");
        ChatClient owner = clients.user(clients.id("owner"));
        owner.request(join(room));
        owner.request(invite(room, clients.id("first")));
        String second = clients.id("second");
        owner.request(invite(room, second));

        JsonObject refused = owner.request(invite(room, clients.id("third")));

        assertThat(refused.getString("code")).isEqualTo("forbidden");
        assertThat(refused.getString("message")).contains("invitations-per-room");
        assertThat(owner.request(invite(room, second)).getString("type")).isEqualTo("ack");
        assertThat(clients.user(second).request(join(room)).getString("type")).isEqualTo("joined");
    }

    @Test
    void browsersFromOtherOriginsAreRefused() throws Exception {
        assertThat(upgradeFrom("https://evil.example")).isEqualTo(403);
        assertThat(upgradeFrom("https://chat.example")).isEqualTo(101);
    }

    private int upgradeFrom(String origin) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(ws.getHost()).setPort(ws.getPort())
                .setURI("/ws?user_id=" + clients.id("browser")).addHeader("Origin", origin);
        try {
            vertx.createWebSocketClient().connect(options).toCompletionStage().toCompletableFuture()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS).close();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof io.vertx.core.http.UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
            throw e;
        }
    }
}
