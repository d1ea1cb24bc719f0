package io.switchboard.cluster;

import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.leave;
import static io.switchboard.testing.Frames.presence;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.restassured.RestAssured;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.Frames;
import io.vertx.core.json.JsonObject;

/** Two real instances behind no load balancer: users on either one reach each other. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

    Cluster cluster;
    final List<ChatClient> clients = new ArrayList<>();
    final String tag = UUID.randomUUID().toString().substring(0, 6);

    /** What the instances run on besides the defaults: the machine's standalone Redis here. */
    Map<String, String> environment() throws Exception {
        return Map.of();
    }

    @BeforeAll
    void startCluster() throws Exception {
        cluster = new Cluster(environment());
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ChatClient::close);
    }

    ChatClient on(InstanceProcess instance, String user) {
        ChatClient client = Cluster.connect(instance, "user_id=" + user + "-" + tag);
        clients.add(client);
        return client;
    }

    String user(String name) {
        return name + "-" + tag;
    }

    @Test
    void theSeedScenarioADirectMessageFromInstanceOneReachesBobOnInstanceTwo() {
        ChatClient alice = on(cluster.one, "alice");
        ChatClient bob = on(cluster.two, "bob");

        alice.send(new JsonObject().put("to", user("bob")).put("body", "hello from one"));

        JsonObject dm = bob.await("direct");
        assertThat(dm.getString("from")).isEqualTo(user("alice"));
        assertThat(dm.getString("to")).isEqualTo(user("bob"));
        assertThat(dm.getString("body")).isEqualTo("hello from one");
        assertThat(alice.await("ack").getString("delivered")).isEqualTo("online");
    }

    @Test
    void crossInstanceDirectMessageLatency() {
        int count = 300;
        int warmUp = 100;
        ChatClient alice = on(cluster.one, "alice");
        ChatClient bob = on(cluster.two, "bob");
        for (int i = 0; i < warmUp; i++) {
            String body = "warm-up " + i;
            alice.send(Frames.direct(user("bob"), body));
            bob.await(f -> body.equals(f.getString("body")));
        }
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            long sent = System.nanoTime();
            alice.send(Frames.direct(user("bob"), "m" + i));
            String body = "m" + i;
            bob.await(f -> body.equals(f.getString("body")));
            micros[i] = (System.nanoTime() - sent) / 1000;
        }
        Arrays.sort(micros);
        System.out.printf("cross-instance DM latency over %d messages: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                count, micros[count / 2] / 1000.0, micros[count * 99 / 100] / 1000.0, micros[count - 1] / 1000.0);
        assertThat(bob.all(f -> "direct".equals(f.getString("type")))).hasSize(warmUp + count);
    }

    @Test
    void concurrentPublishesFromBothInstancesAreSeenInOneOrderByEveryMember() {
        String room = "room-" + tag;
        List<ChatClient> members = List.of(on(cluster.one, "a"), on(cluster.two, "b"), on(cluster.one, "c"),
                on(cluster.two, "d"));
        members.forEach(m -> m.request(join(room)));

        for (int i = 0; i < 100; i++) {
            members.get(i % members.size()).send(publish(room, "m" + i));
        }

        List<List<String>> seen = new ArrayList<>();
        for (ChatClient member : members) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ids.add(member.await("message").getString("id"));
            }
            seen.add(ids);
        }
        assertThat(seen.get(0)).doesNotHaveDuplicates().isSorted();
        seen.forEach(ids -> assertThat(ids).isEqualTo(seen.get(0)));
        List<String> history = members.get(1).request(Frames.history(room).put("limit", 100))
                .getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("id")).toList();
        assertThat(history).isEqualTo(seen.get(0));
    }

    @Test
    void aUsersDevicesOnBothInstancesFollowMembershipAndAllReceive() {
        String room = "room-" + tag;
        ChatClient phone = on(cluster.one, "alice");
        ChatClient laptop = on(cluster.two, "alice");
        ChatClient bob = on(cluster.two, "bob");
        bob.request(join(room));

        phone.request(join(room));
        laptop.await(f -> Frames.isType(f, "joined") && room.equals(f.getString("room")));
        String id = bob.request(publish(room, "to both devices")).getString("id");
        bob.send(Frames.direct(user("alice"), "dm to both"));

        assertThat(phone.await("message").getString("id")).isEqualTo(id);
        assertThat(laptop.await("message").getString("id")).isEqualTo(id);
        assertThat(phone.await("direct").getString("body")).isEqualTo("dm to both");
        assertThat(laptop.await("direct").getString("body")).isEqualTo("dm to both");

        laptop.request(leave(room));
        phone.await(f -> Frames.isType(f, "left") && room.equals(f.getString("room")));
        bob.request(publish(room, "after alice left"));
        phone.assertNothing(f -> "after alice left".equals(f.getString("body")));
    }

    @Test
    void aMessagePostedRightAfterAJoinReachesTheUsersDeviceOnTheOtherInstance() {
        ChatClient phone = on(cluster.one, "carol");
        ChatClient laptop = on(cluster.two, "carol");
        for (int i = 0; i < 10; i++) {
            String room = "right-after-" + i + "-" + tag;
            phone.request(join(room));
            String id = phone.request(publish(room, "right after the join")).getString("id");

            laptop.await(f -> id.equals(f.getString("id")));
            List<JsonObject> seen = laptop.all(f -> room.equals(f.getString("room")));
            assertThat(seen).extracting(f -> f.getString("type")).containsExactly("joined", "message");
        }
    }

    @Test
    void readinessCoversRedisAndTheRabbitMqChannels() {
        io.restassured.path.json.JsonPath ready = RestAssured.given().baseUri("http://127.0.0.1")
                .port(cluster.one.port()).get("/q/health/ready").then().statusCode(200).extract().jsonPath();

        assertThat(ready.getList("checks.name")).contains("redis", "accepting-connections");
        assertThat(ready.getString("checks.find { it.name.startsWith('SmallRye Reactive Messaging') }.data.'instance-in'"))
                .isEqualTo("[OK]");
    }

    @Test
    void presenceIsTheSameSeenFromEitherInstance() {
        String room = "room-" + tag;
        ChatClient alice = on(cluster.one, "alice");
        ChatClient bob = on(cluster.two, "bob");
        alice.request(join(room));
        bob.request(join(room));

        assertThat(alice.request(presence(room)).getJsonArray("online").getList())
                .containsExactly(user("alice"), user("bob"));
        String instance = RestAssured.given().baseUri("http://127.0.0.1").port(cluster.two.port())
                .queryParam("user_id", "viewer").get("/api/users/{user}/presence", user("alice"))
                .then().statusCode(200).extract().path("sessions[0].server");
        assertThat(instance).isEqualTo(cluster.one.instanceId());
    }
}
