package io.switchboard.testing;

import java.util.List;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The machine's real Redis and RabbitMQ, shared with everything else on it: tests use names of their own (a
 * key prefix, an exchange) and remove what they created when they are done.
 */
public final class TestBackends {

    public static final String REDIS_URL = "redis://127.0.0.1:6379";

    private TestBackends() {
    }

    /** A key prefix / exchange name no other test run uses. */
    public static String uniqueName(String kind) {
        return "sbtest-" + kind + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** LLEN of a Redis list: what the application stored, seen from outside. */
    public static long redisLength(String key) {
        Redis redis = Redis.createClient(ChatTest.vertx, REDIS_URL);
        try {
            return await(redis.send(Request.cmd(Command.LLEN).arg(key))).toLong();
        } finally {
            redis.close();
        }
    }

    /** Deletes every Redis key under the prefix. */
    public static void deleteRedisKeys(String prefix) {
        Redis redis = Redis.createClient(ChatTest.vertx, REDIS_URL);
        try {
            String cursor = "0";
            do {
                Response page = await(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
                        .arg("COUNT").arg(1000)));
                cursor = page.get(0).toString();
                List<String> keys = page.get(1).stream().map(Response::toString).toList();
                if (!keys.isEmpty()) {
                    Request del = Request.cmd(Command.DEL);
                    keys.forEach(del::arg);
                    await(redis.send(del));
                }
            } while (!"0".equals(cursor));
        } finally {
            redis.close();
        }
    }

    /** Deletes the exchange, its unroutable exchange and queue, and the instances' queues it names. */
    public static void deleteRabbitExchange(String exchange, String... instanceIds) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete(exchange + ".unroutable");
            for (String instanceId : instanceIds) {
                channel.queueDelete(exchange + ".server." + instanceId);
            }
            channel.exchangeDelete(exchange + ".unroutable");
            channel.exchangeDelete(exchange);
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ clean-up failed for " + exchange, e);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
