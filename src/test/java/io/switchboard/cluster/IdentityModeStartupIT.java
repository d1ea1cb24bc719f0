package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;

/**
 * The packaged jar runs the {@code prod} profile, whose identity mode is {@code token}: started with no key it must
 * say so and stop, not run refusing every client with a bare 401; started in dev mode it must warn.
 */
class IdentityModeStartupIT {

    @Test
    void tokenModeWithoutAKeyRefusesToStartAndNamesTheSettings() throws Exception {
        try (InstanceProcess instance = InstanceProcess.launch("no-key", Map.of())) {
            assertThat(instance.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            String refusal = instance.log().lines().filter(line -> line.contains("ERROR")).findFirst().orElse("");
            assertThat(refusal).contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "SWITCHBOARD_AUTH_MODE=dev");
        }
    }

    @Test
    void devModeInTheProdProfileStartsWithAWarning() throws Exception {
        try (InstanceProcess instance = InstanceProcess.start("dev-in-prod", Map.of("SWITCHBOARD_AUTH_MODE", "dev"))) {
            assertThat(instance.log()).contains("WARN", "switchboard.auth.mode=dev in the prod profile");
            String readiness = RestAssured.get(instance.http("/q/health/ready")).then().statusCode(200).extract().asString();
            assertThat(readiness).contains("dev identity mode");
        }
    }
}
