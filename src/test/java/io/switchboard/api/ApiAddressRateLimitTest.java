package io.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The HTTP API also has a rate per client address, taken before the caller is known: a new user id per request
 * (dev mode) does not get past it, nor do requests without credentials. 2 per second here, a burst of 4: of 30
 * requests in a row, some are refused unless the 30 take over 13 s.
 */
@QuarkusTest
@TestProfile(ApiAddressRateLimitTest.SlowAddresses.class)
class ApiAddressRateLimitTest {

    static final int REQUESTS = 30;

    public static class SlowAddresses implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.api-requests-per-address-per-second", "2");
        }
    }

    @Test
    void rotatingUserIdsFromOneAddressGets429() {
        Set<Integer> statuses = new HashSet<>();
        for (int i = 0; i < REQUESTS; i++) {
            statuses.add(given().queryParam("user_id", "rotating-" + UUID.randomUUID().toString().substring(0, 8))
                    .get("/api/users/{user}/presence", "anyone").then().extract().statusCode());
        }

        assertThat(statuses).contains(429).isSubsetOf(200, 429);
    }

    @Test
    void requestsWithoutCredentialsAreRateLimitedToo() {
        Set<Integer> statuses = new HashSet<>();
        for (int i = 0; i < REQUESTS; i++) {
            statuses.add(given().get("/api/rooms").then().extract().statusCode());
        }

        assertThat(statuses).contains(429).isSubsetOf(401, 429);
    }
}
