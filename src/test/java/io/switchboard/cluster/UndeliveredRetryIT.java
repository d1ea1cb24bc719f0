package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.restassured.RestAssured;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.TestBackends;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A direct message whose instance was gone comes back undelivered while Redis refuses connections, so it cannot
 * be routed again nor kept: it is retried, unacknowledged, and reaches its recipient once Redis is back within
 * {@code rabbitmq.undelivered-retry-for}; past that it is parked in {@code <exchange>.parked} and counted, never
 * dropped.
 */
class UndeliveredRetryIT {

    @Test
    void anUndeliveredMessageIsRetriedWhileRedisIsDownAndParkedPastTheWindow() throws Exception {
        String prefix = TestBackends.uniqueName("it") + ":";
        String exchange = TestBackends.uniqueName("it");
        String instanceId = "retry-" + exchange.substring("sbtest-it-".length());
        try (TcpProxy redis = new TcpProxy(6379);
                InstanceProcess instance = InstanceProcess.start(instanceId, Map.of(
                        "SWITCHBOARD_ENGINE", "distributed",
                        "SWITCHBOARD_AUTH_MODE", "dev",
                        "SWITCHBOARD_REDIS_KEY_PREFIX", prefix,
                        "SWITCHBOARD_RABBITMQ_EXCHANGE", exchange,
                        "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + redis.port(),
                        "SWITCHBOARD_RABBITMQ_UNDELIVERED_RETRY_FOR", "15S"));
                Connection rabbit = new ConnectionFactory().newConnection();
                Channel channel = rabbit.createChannel()) {
            try {
                redis.cut();
                undelivered(channel, exchange, "m-retried");
                // its first attempt failed (before, it was then dropped), and it is retried
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> instance.log().contains("an undelivered envelope for gone failed"));
                redis.restore();
                try (ChatClient bob = ChatClient.connect(instance.ws(), "user_id=bob-undelivered")) {
                    bob.await(f -> "m-retried".equals(f.getString("id")));
                    // a round trip: bob's pong to the ping after the message proves he read it before Redis goes
                    // again (a device that leaves unproven sends it to the inbox, which needs Redis)
                    bob.assertNothing(f -> false);
                }

                redis.cut();
                undelivered(channel, exchange, "m-parked");
                await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                        .until(() -> parkedCount(rabbit, exchange) == 1);
                redis.restore();
                String parked = new String(channel.basicGet(exchange + ".parked", true).getBody(), StandardCharsets.UTF_8);
                assertThat(new JsonObject(parked).getJsonObject("message").getString("id")).isEqualTo("m-parked");
                String metrics = RestAssured.get(instance.http("/q/metrics")).asString();
                assertThat(metrics).contains("switchboard_envelopes_parked_total 1.0");
                try (ChatClient bob = ChatClient.connect(instance.ws(), "user_id=bob-undelivered")) {
                    bob.await("welcome");
                    bob.assertNothing(f -> "m-parked".equals(f.getString("id")));
                }
            } finally {
                try (Channel cleanUp = rabbit.createChannel()) {
                    cleanUp.queueDelete(exchange + ".parked");
                    cleanUp.exchangeDelete(exchange + ".parked");
                }
            }
        } finally {
            TestBackends.deleteRedisKeys(prefix);
            TestBackends.deleteRabbitExchange(exchange, instanceId);
        }
    }

    /** How many messages wait in the parking queue; none while it does not exist (a check costs its channel). */
    private static long parkedCount(Connection rabbit, String exchange) throws Exception {
        try (Channel check = rabbit.createChannel()) {
            return check.queueDeclarePassive(exchange + ".parked").getMessageCount();
        } catch (java.io.IOException notDeclaredYet) {
            return 0;
        }
    }

    /** A direct message for offline bob, as it comes back from the queue of an instance that is gone. */
    private static void undelivered(Channel channel, String exchange, String id) throws Exception {
        JsonObject message = new JsonObject().put("type", "direct").put("id", id).put("from", "alice-undelivered")
                .put("to", "bob-undelivered").put("body", "sent to a dead instance").put("ts", System.currentTimeMillis());
        JsonObject envelope = new JsonObject().put("kind", "direct").put("message", message).put("senderSession", "s1")
                .put("forRecipient", true).put("retry", false).put("alsoTo", new JsonArray());
        channel.basicPublish(exchange + ".unroutable", "server.gone", new AMQP.BasicProperties.Builder()
                .contentType("text/plain").deliveryMode(2).build(), envelope.encode().getBytes(StandardCharsets.UTF_8));
    }
}
