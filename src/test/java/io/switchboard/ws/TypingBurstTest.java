package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static io.switchboard.testing.Frames.typing;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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
 * One user typing on ten devices at once: the room's members see one {@code typing} per interval (an hour here,
 * so the count does not depend on the machine's speed), and every frame sent with a {@code ref} is acked.
 */
@QuarkusTest
@TestProfile(TypingBurstTest.LongInterval.class)
class TypingBurstTest extends ChatTest {

    static final int DEVICES = 10;
    static final int FRAMES_PER_DEVICE = 20;

    public static class LongInterval implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.typing-interval", "1H");
        }
    }

    @Test
    void aBurstFromTenDevicesReachesAMemberOnceAndEveryFrameIsAcked() {
        String room = clients.id("room");
        String alice = clients.id("alice");
        String carol = clients.id("carol");
        ChatClient member = clients.user(clients.id("bob"));
        member.request(join(room));
        ChatClient other = clients.user(carol);
        other.request(join(room));
        List<ChatClient> devices = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            devices.add(clients.user(alice));
        }
        devices.get(0).request(join(room));

        for (int frame = 0; frame < FRAMES_PER_DEVICE; frame++) {
            for (int device = 0; device < DEVICES; device++) {
                devices.get(device).send(typing(room).put("ref", "t" + device + "-" + frame));
            }
        }
        for (int device = 0; device < DEVICES; device++) {
            for (int frame = 0; frame < FRAMES_PER_DEVICE; frame++) {
                String ref = "t" + device + "-" + frame;
                assertThat(devices.get(device).await(f -> ref.equals(f.getString("ref"))).getString("type"))
                        .isEqualTo("ack");
            }
        }
        // another user's typing, sent after every ack, arrives after whatever alice's burst made the room receive
        other.request(typing(room));
        member.await(f -> "typing".equals(f.getString("type")) && carol.equals(f.getString("from")));

        assertThat(member.all(f -> "typing".equals(f.getString("type")) && alice.equals(f.getString("from"))))
                .hasSize(1);
        JsonObject seen = member.await(f -> "typing".equals(f.getString("type")) && alice.equals(f.getString("from")));
        assertThat(seen.getString("room")).isEqualTo(room);
    }

    @Test
    void aTypingRightAfterTheUsersMessageIsPassedOn() {
        String room = clients.id("room");
        String alice = clients.id("alice");
        ChatClient member = clients.user(clients.id("bob"));
        member.request(join(room));
        ChatClient writer = clients.user(alice);
        writer.request(join(room));

        writer.request(typing(room));
        writer.request(publish(room, "done typing"));
        writer.request(typing(room));

        // the page stops showing alice typing when her message arrives: the typing after it is news again
        member.await(f -> "message".equals(f.getString("type")) && alice.equals(f.getString("from")));
        member.await(f -> "typing".equals(f.getString("type")) && alice.equals(f.getString("from")));
        member.await(f -> "typing".equals(f.getString("type")) && alice.equals(f.getString("from")));
    }
}
