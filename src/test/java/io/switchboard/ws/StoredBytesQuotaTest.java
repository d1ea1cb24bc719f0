package io.switchboard.ws;

import static io.switchboard.testing.Frames.direct;
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
import io.vertx.core.json.JsonObject;

/**
 * What one user makes the server store is bounded in bytes a day (10 KB here, each message weighing its body and
 * 100 bytes): room messages and direct messages kept for offline users share the quota; a message to a device
 * that is online is not stored, so it does not count, and other users keep their own quota.
 */
@QuarkusTest
@TestProfile(StoredBytesQuotaTest.SmallQuota.class)
class StoredBytesQuotaTest extends ChatTest {

    private static final String BODY = "x".repeat(3000);

    public static class SmallQuota implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.stored-bytes-per-day", "10000");
        }
    }

    @Test
    void roomAndOfflineDirectMessagesShareTheSendersDailyBytesAndBeyondThemNothingIsKept() {
        String room = clients.id("room");
        String offline = clients.id("offline");
        ChatClient sender = clients.user(clients.id("sender"));
        String online = clients.id("online");
        clients.user(online);
        sender.request(join(room));

        assertThat(sender.request(publish(room, BODY)).getString("type")).isEqualTo("ack");
        assertThat(sender.request(direct(offline, BODY)).getString("delivered")).isEqualTo("stored");
        assertThat(sender.request(publish(room, BODY)).getString("type")).isEqualTo("ack");
        JsonObject refusedPublish = sender.request(publish(room, BODY));
        JsonObject refusedDirect = sender.request(direct(offline, BODY));

        assertThat(refusedPublish.getString("code")).isEqualTo("rate_limited");
        assertThat(refusedPublish.getString("message")).contains("stored-bytes-per-day");
        assertThat(refusedDirect.getString("code")).isEqualTo("rate_limited");
        assertThat(refusedDirect.getString("message")).contains("stored-bytes-per-day");
        assertThat(sender.request(direct(online, BODY)).getString("delivered")).isEqualTo("online");
        assertThat(sender.request(publish(room, "x".repeat(500))).getString("type")).isEqualTo("ack");
        ChatClient other = clients.user(clients.id("other"));
        other.request(join(room));
        assertThat(other.request(publish(room, BODY)).getString("type")).isEqualTo("ack");
        try (ChatClient recipient = ChatClient.connect(ws, "user_id=" + offline)) {
            assertThat(recipient.await("direct").getString("body")).isEqualTo(BODY);
            recipient.request(new JsonObject().put("type", "ping")); // its pong follows everything queued before
            assertThat(recipient.all(f -> "direct".equals(f.getString("type")))).hasSize(1);
        }
    }
}
