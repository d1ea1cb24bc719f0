package io.switchboard.engine.redis;

import static io.switchboard.testing.Frames.direct;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.leave;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.TestBackends;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * What the distributed engine leaves in Redis, read from outside under a key prefix of its own: a body is stored
 * as it came (not JSON-escaped), a user's quota counter lives no longer than its window, and users who only come,
 * join, leave and go leave no key behind. (Before: 24,708 bytes for the direct message, a 24-hour rooms-created
 * counter for each of the 20 users.)
 */
@QuarkusTest
@TestProfile(RedisFootprintTest.Distributed.class)
class RedisFootprintTest extends ChatTest {

    static final String PREFIX = TestBackends.uniqueName("footprint") + ":";
    static final String EXCHANGE = TestBackends.uniqueName("footprint");
    static final String SERVER = TestBackends.uniqueName("server");
    /** 4,096 bytes of control characters, the worst case for JSON's escapes ({@code \u0001}: six bytes each). */
    private static final String CONTROL = "\u0001".repeat(4096);

    public static class Distributed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.engine", "distributed",
                    "switchboard.instance-id", SERVER,
                    "switchboard.redis.key-prefix", PREFIX,
                    "switchboard.rabbitmq.exchange", EXCHANGE);
        }
    }

    @AfterAll
    static void removeKeysAndExchange() {
        TestBackends.deleteRedisKeys(PREFIX);
        TestBackends.deleteRabbitExchange(EXCHANGE, SERVER);
    }

    @Test
    void aDirectMessageKeptForAnOfflineUserWeighsAboutItsBody() {
        String offline = clients.id("offline");
        String senderId = clients.id("sender");
        ChatClient sender = clients.user(senderId);

        assertThat(sender.request(direct(offline, CONTROL)).getString("delivered")).isEqualTo("stored");

        long stored = redis(Request.cmd(Command.LINDEX).arg(PREFIX + "user:{" + offline + "}:inbox").arg(0))
                .toBuffer().length();
        System.out.printf("a 4 KB direct message of control characters: %d bytes in Redis%n", stored);
        assertThat(stored).isBetween(4096L, 4096L + 200);
        long quotaTtl = redis(Request.cmd(Command.PTTL).arg(PREFIX + "user:{" + senderId + "}:stored-bytes")).toLong();
        assertThat(quotaTtl).isBetween(1L, 86_400_000L);
        try (ChatClient recipient = ChatClient.connect(ws, "user_id=" + offline)) {
            assertThat(recipient.await("direct").getString("body")).isEqualTo(CONTROL);
        }
    }

    @Test
    void aRoomMessageWeighsAboutItsBody() {
        String room = clients.id("room");
        ChatClient author = clients.user(clients.id("author"));
        author.request(join(room));

        author.request(publish(room, CONTROL));

        Response entries = redis(Request.cmd(Command.XRANGE).arg(PREFIX + "room:{" + room + "}:log").arg("-").arg("+"));
        long stored = 0;
        for (Response field : entries.get(0).get(1)) {
            stored += field.toBuffer().length();
        }
        System.out.printf("a 4 KB room message of control characters: %d bytes in Redis%n", stored);
        assertThat(stored).isBetween(4096L, 4096L + 200);
    }

    @Test
    void usersWhoConnectJoinLeaveAndGoLeaveNoKeyOfTheirOwn() {
        String shared = clients.id("shared");
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String user = clients.id("churn" + i);
            users.add(user);
            try (ChatClient client = ChatClient.welcomed(ws, "user_id=" + user)) {
                client.request(join(shared));
                client.request(join(clients.id("own" + i)));
                client.request(leave(shared));
                client.request(leave(clients.id("own" + i)));
            }
        }
        users.forEach(ChatTest::awaitOffline);

        List<String> left = keys(PREFIX + "user:*").stream()
                .filter(key -> users.stream().anyMatch(key::contains)).toList();
        System.out.printf("keys left by 20 users after connect, join, leave, disconnect: %d %s%n", left.size(), left);
        assertThat(left).isEmpty();
    }

    private static List<String> keys(String pattern) {
        List<String> found = new ArrayList<>();
        String cursor = "0";
        do {
            Response page = redis(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern)
                    .arg("COUNT").arg(1000));
            cursor = page.get(0).toString();
            page.get(1).forEach(key -> found.add(key.toString()));
        } while (!"0".equals(cursor));
        return found;
    }

    private static Response redis(Request request) {
        Redis redis = Redis.createClient(ChatTest.sharedVertx(), TestBackends.REDIS_URL);
        try {
            return redis.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            redis.close();
        }
    }
}
