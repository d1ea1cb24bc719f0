package io.switchboard.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.IdentityModeCheck;

/**
 * Ready either way, but says so where an operator looks: an instance of the {@code prod} profile in dev identity
 * mode trusts whatever {@code user_id} a client claims, and its readiness carries that warning.
 */
@Readiness
@ApplicationScoped
public class IdentityReadiness implements HealthCheck {

    private final boolean trustsAnyone;

    IdentityReadiness(SwitchboardConfig config) {
        this.trustsAnyone = IdentityModeCheck.trustsAnyone(config);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder identity = HealthCheckResponse.named("identity").up();
        if (trustsAnyone) {
            identity.withData("warning", "dev identity mode: any client may claim any user_id, admins included");
        }
        return identity.build();
    }
}
