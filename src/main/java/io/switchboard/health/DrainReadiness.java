package io.switchboard.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.switchboard.chat.Drain;

/** Not ready once draining has started, so the load balancer stops sending new clients here. */
@Readiness
@ApplicationScoped
public class DrainReadiness implements HealthCheck {

    private final Drain drain;

    DrainReadiness(Drain drain) {
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("accepting-connections").status(!drain.isDraining()).build();
    }
}
