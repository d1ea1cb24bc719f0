package io.switchboard.ws;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.leave;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.Frames;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class MultiDeviceTest extends ChatTest {

    @Test
    void joiningOnOneDeviceJoinsAllAndBothReceive() {
        String room = clients.id("room");
        String bob = clients.id("bob");
        ChatClient phone = clients.user(bob);
        ChatClient laptop = clients.user(bob);
        ChatClient a = clients.user(clients.id("alice"));
        a.request(join(room));

        phone.request(join(room));
        JsonObject followed = laptop.await(f -> Frames.isType(f, "joined") && room.equals(f.getString("room")));
        String id = a.request(publish(room, "both of you")).getString("id");

        assertThat(followed.getString("ref")).isNull();
        assertThat(phone.await("message").getString("id")).isEqualTo(id);
        assertThat(laptop.await("message").getString("id")).isEqualTo(id);
    }

    @Test
    void leavingOnOneDeviceLeavesOnAllOfThem() {
        String room = clients.id("room");
        String bob = clients.id("bob");
        ChatClient a = clients.user(clients.id("alice"));
        ChatClient phone = clients.user(bob);
        ChatClient laptop = clients.user(bob);
        a.request(join(room));
        phone.request(join(room));
        laptop.await(f -> Frames.isType(f, "joined") && room.equals(f.getString("room")));

        phone.request(leave(room));
        JsonObject followed = laptop.await(f -> Frames.isType(f, "left") && room.equals(f.getString("room")));
        a.request(publish(room, "after bob left"));

        assertThat(followed.getString("ref")).isNull();
        laptop.assertNothing(f -> Frames.isType(f, "message"));
        phone.assertNothing(f -> Frames.isType(f, "message"));
    }
}
