package io.switchboard.cluster;

import java.util.Map;

import io.switchboard.testing.ChatClient;
import io.switchboard.testing.TestBackends;

/**
 * Two real instances of the packaged application on the distributed engine, sharing the machine's Redis and
 * RabbitMQ under names of their own, which {@link #close()} removes again.
 */
final class Cluster implements AutoCloseable {

    final String prefix = TestBackends.uniqueName("it") + ":";
    final String exchange = TestBackends.uniqueName("it");
    final InstanceProcess one;
    final InstanceProcess two;

    Cluster(Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "SWITCHBOARD_ENGINE", "distributed",
                "SWITCHBOARD_AUTH_MODE", "dev",
                "SWITCHBOARD_REDIS_KEY_PREFIX", prefix,
                "SWITCHBOARD_RABBITMQ_EXCHANGE", exchange));
        env.putAll(extraEnv);
        String ids = exchange.substring("sbtest-".length());
        InstanceProcess first = InstanceProcess.start("one-" + ids, env);
        try {
            two = InstanceProcess.start("two-" + ids, env);
        } catch (Exception e) {
            first.close();
            throw e;
        }
        one = first;
    }

    /** A client of {@code user} on the given instance, welcomed. */
    static ChatClient connect(InstanceProcess instance, String query) {
        return ChatClient.welcomed(instance.ws(), query);
    }

    @Override
    public void close() throws Exception {
        try {
            one.close();
            two.close();
        } finally {
            TestBackends.deleteRedisKeys(prefix);
            TestBackends.deleteRabbitExchange(exchange, one.instanceId(), two.instanceId());
        }
    }
}
