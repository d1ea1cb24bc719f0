package io.switchboard.ws;

import static io.switchboard.testing.Frames.direct;
import static io.switchboard.testing.Frames.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;

/**
 * What one user can make the server hold is bounded (small numbers here): direct messages left for offline
 * users, rooms created, connections; limits that concurrent requests cannot pass.
 */
@QuarkusTest
@TestProfile(QuotaTest.SmallQuotas.class)
class QuotaTest extends ChatTest {

    public static class SmallQuotas implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.offline-recipients-per-day", "3",
                    "switchboard.limits.rooms-created-per-day", "2",
                    "switchboard.limits.max-connections-per-user", "3");
        }
    }

    @Test
    void aSenderLeavesMessagesForNoMoreOfflineUsersThanTheQuota() {
        ChatClient spammer = clients.user(clients.id("spammer"));
        List<String> answers = new ArrayList<>();
        for (String nobody : List.of("ghost1", "ghost2", "ghost3", "ghost4", "ghost1")) {
            JsonAnswer answer = new JsonAnswer(spammer.request(direct(clients.id(nobody), "buy now")).encode());
            answers.add(answer.code());
        }
        String online = clients.id("online");
        clients.user(online);

        assertThat(answers).containsExactly("stored", "stored", "stored", "rate_limited", "stored");
        assertThat(spammer.request(direct(online, "hello")).getString("delivered")).isEqualTo("online");
    }

    @Test
    void aUserCreatesNoMoreRoomsThanTheQuotaButJoinsExistingOnes() {
        ChatClient other = clients.user(clients.id("other"));
        String existing = clients.id("existing");
        other.request(join(existing));
        ChatClient creator = clients.user(clients.id("creator"));

        assertThat(creator.request(join(clients.id("new1"))).getString("type")).isEqualTo("joined");
        assertThat(creator.request(join(clients.id("new2"))).getString("type")).isEqualTo("joined");
        assertThat(creator.request(join(clients.id("new3"))).getString("code")).isEqualTo("rate_limited");
        assertThat(creator.request(join(existing)).getString("type")).isEqualTo("joined");
    }

    @Test
    void concurrentUpgradesOfOneUserCannotPassTheConnectionLimit() {
        String user = clients.id("many");
        List<CompletableFuture<ChatClient>> upgrades = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            upgrades.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ChatClient.connect(ws, "user_id=" + user);
                } catch (IllegalStateException refused) {
                    return null; // refused at the upgrade: 429
                }
            }));
        }
        List<ChatClient> opened = upgrades.stream().map(CompletableFuture::join).filter(c -> c != null).toList();

        await().atMost(ChatClient.WAIT).until(() -> opened.stream().allMatch(c -> c.isClosed() || welcomed(c)));
        assertThat(opened.stream().filter(c -> !c.isClosed() && welcomed(c)).count()).isLessThanOrEqualTo(3);
        opened.forEach(ChatClient::close);
    }

    private static boolean welcomed(ChatClient client) {
        return !client.all(f -> "welcome".equals(f.getString("type"))).isEmpty();
    }

    /** The delivered kind of an ack, or the code of an error. */
    private record JsonAnswer(String json) {
        String code() {
            io.vertx.core.json.JsonObject frame = new io.vertx.core.json.JsonObject(json);
            return "ack".equals(frame.getString("type")) ? frame.getString("delivered") : frame.getString("code");
        }
    }
}
