package io.switchboard.cluster;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;

import io.switchboard.testing.LocalRedisCluster;

/** The cluster scenarios again, the two instances on a real six-node Redis Cluster instead of one Redis. */
class RedisClusterIT extends ClusterIT {

    private LocalRedisCluster redis;

    @Override
    Map<String, String> environment() throws Exception {
        redis = LocalRedisCluster.start();
        return Map.of("QUARKUS_REDIS_CLIENT_TYPE", "cluster", "QUARKUS_REDIS_HOSTS", redis.hosts());
    }

    /** The instances stop first, while the Redis they leave is still there. */
    @Override
    @AfterAll
    void stopCluster() throws Exception {
        try {
            super.stopCluster();
        } finally {
            redis.close();
        }
    }
}
