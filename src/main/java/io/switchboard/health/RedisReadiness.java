package io.switchboard.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.arc.lookup.LookupIfProperty;
import io.switchboard.engine.redis.ClusterLiveness;

/**
 * Ready only while this instance's heartbeat reaches Redis. It exists on the distributed engine alone: the
 * memory engine's readiness says nothing about Redis. (RabbitMQ's readiness comes from the messaging channels,
 * which run on the distributed engine only.)
 */
@Readiness
@ApplicationScoped
@LookupIfProperty(name = "switchboard.engine", stringValue = "distributed", lookupIfMissing = false)
public class RedisReadiness implements HealthCheck {

    private final ClusterLiveness liveness;

    RedisReadiness(ClusterLiveness liveness) {
        this.liveness = liveness;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("redis").status(liveness.healthy()).build();
    }
}
