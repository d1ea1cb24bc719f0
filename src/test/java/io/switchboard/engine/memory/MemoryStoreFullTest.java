package io.switchboard.engine.memory;

import static io.switchboard.testing.Frames.direct;
import static io.switchboard.testing.Frames.history;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

/**
 * The memory engine keeps history and inboxes within a byte budget (small here): a body beyond Latin-1 weighs
 * two bytes a character, and once the budget is spent a message is refused, while every message acked before is
 * still there. (Without the budget, 200 KB of either store never refuses anything: this fails.) The budgets are
 * the memory engine's, so the profile runs it whatever engine the rest of the run uses.
 */
@QuarkusTest
@TestProfile(MemoryStoreFullTest.SmallStores.class)
class MemoryStoreFullTest extends ChatTest {

    /** 4,096 UTF-8 bytes, 4,094 characters, one of them beyond Latin-1: about 8 KB on the heap. */
    private static final String BODY = "a".repeat(4093) + "€";
    private static final int BUDGET = 200_000;
    /** The most 8 KB messages a 200 KB budget can hold, and some to spare for the estimate. */
    private static final int AT_MOST = BUDGET / (2 * BODY.length()) + 1;

    public static class SmallStores implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.engine", "memory",
                    "switchboard.history.memory-max-bytes", String.valueOf(BUDGET),
                    "switchboard.inbox.memory-max-bytes", String.valueOf(BUDGET));
        }
    }

    @Test
    void directMessagesForOfflineUsersAreRefusedWhenTheInboxesAreFullAndTheKeptOnesArrive() {
        ChatClient sender = clients.user(clients.id("sender"));
        String offline = clients.id("offline");
        List<String> acked = new ArrayList<>();
        JsonObject refusal = null;
        for (int i = 0; i < 3 * AT_MOST && refusal == null; i++) {
            String body = i + BODY.substring(String.valueOf(i).length());
            JsonObject answer = sender.request(direct(offline, body));
            if ("ack".equals(answer.getString("type"))) {
                assertThat(answer.getString("delivered")).isEqualTo("stored");
                acked.add(body);
            } else {
                refusal = answer;
            }
        }

        assertThat(refusal).isNotNull();
        assertThat(refusal.getString("code")).isEqualTo("rate_limited");
        assertThat(refusal.getString("message")).contains("message store is full");
        assertThat(acked).hasSizeBetween(AT_MOST / 2, AT_MOST);
        try (ChatClient recipient = ChatClient.connect(ws, "user_id=" + offline)) {
            List<String> received = new ArrayList<>();
            for (int i = 0; i < acked.size(); i++) {
                received.add(recipient.await("direct").getString("body"));
            }
            assertThat(received).isEqualTo(acked);
        }
    }

    @Test
    void publishingIsRefusedWhenTheHistoryOfAllRoomsIsFullAndTheKeptMessagesStay() {
        ChatClient author = clients.user(clients.id("author"));
        List<String> rooms = List.of(clients.id("r1"), clients.id("r2"), clients.id("r3"));
        rooms.forEach(room -> author.request(join(room)));
        Map<String, List<String>> acked = new HashMap<>();
        JsonObject refusal = null;
        for (int i = 0; i < 3 * AT_MOST && refusal == null; i++) {
            String room = rooms.get(i % rooms.size());
            String body = i + BODY.substring(String.valueOf(i).length());
            JsonObject answer = author.request(publish(room, body));
            if ("ack".equals(answer.getString("type"))) {
                acked.computeIfAbsent(room, r -> new ArrayList<>()).add(body);
            } else {
                refusal = answer;
            }
        }

        assertThat(refusal).isNotNull();
        assertThat(refusal.getString("code")).isEqualTo("rate_limited");
        assertThat(refusal.getString("message")).contains("message store is full");
        assertThat(acked.values().stream().mapToInt(List::size).sum()).isBetween(AT_MOST / 2, AT_MOST);
        for (String room : rooms) {
            List<String> kept = author.request(history(room)).getJsonArray("messages").stream()
                    .map(m -> ((JsonObject) m).getString("body")).toList();
            assertThat(kept).isEqualTo(acked.get(room));
        }
    }
}
