package io.switchboard.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.switchboard.health.SharedStateHealth;

/**
 * Ready only while the shared state answers: on the distributed engine, while this instance's heartbeat reaches
 * Redis; the memory engine is always reachable and this check says nothing about Redis. (RabbitMQ's readiness
 * comes from the messaging channels, which run on the distributed engine only.)
 */
@Readiness
@ApplicationScoped
public class SharedStateReadiness implements HealthCheck {

    private final SharedStateHealth state;

    SharedStateReadiness(SharedStateHealth state) {
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(state.name()).status(state.reachable()).build();
    }
}
