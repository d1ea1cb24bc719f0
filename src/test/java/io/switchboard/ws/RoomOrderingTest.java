package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;

@QuarkusTest
class RoomOrderingTest extends ChatTest {

    static final int MESSAGES = 100;

    @Test
    void concurrentPublishesAreSeenInOneOrderTheOrderOfTheirIds() {
        String room = clients.id("room");
        List<ChatClient> members = List.of(clients.user(clients.id("a")), clients.user(clients.id("b")),
                clients.user(clients.id("c")));
        members.forEach(m -> m.request(join(room)));

        for (int i = 0; i < MESSAGES; i++) {
            members.get(i % members.size()).send(publish(room, "m" + i));
        }

        List<List<String>> seen = new ArrayList<>();
        for (ChatClient member : members) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                ids.add(member.await("message").getString("id"));
            }
            seen.add(ids);
        }
        assertThat(seen.get(0)).hasSize(MESSAGES).doesNotHaveDuplicates().isSorted();
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
        assertThat(seen.get(2)).isEqualTo(seen.get(0));
    }
}
