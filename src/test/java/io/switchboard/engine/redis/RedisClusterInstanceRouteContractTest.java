package io.switchboard.engine.redis;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.bus.InstanceRoute;
import io.switchboard.engine.InstanceRouteContract;

/**
 * The instance route contract with the instances' liveness on a real six-node Redis Cluster (the profile, and its
 * clean-up, of {@link RedisClusterRoomBusContractTest}).
 */
@QuarkusTest
@TestProfile(RedisClusterRoomBusContractTest.OnRedisCluster.class)
class RedisClusterInstanceRouteContractTest extends InstanceRouteContract {

    @Inject
    InstanceRoute route;

    @Override
    protected InstanceRoute route() {
        return route;
    }
}
