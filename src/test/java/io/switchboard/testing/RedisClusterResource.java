package io.switchboard.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A {@link LocalRedisCluster} for a Quarkus test: started before the application, which is pointed at it. */
public class RedisClusterResource implements QuarkusTestResourceLifecycleManager {

    private LocalRedisCluster cluster;

    @Override
    public Map<String, String> start() {
        try {
            cluster = LocalRedisCluster.start();
        } catch (Exception e) {
            throw new IllegalStateException("the Redis Cluster did not start", e);
        }
        return Map.of("quarkus.redis.client-type", "cluster", "quarkus.redis.hosts", cluster.hosts());
    }

    @Override
    public void stop() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
