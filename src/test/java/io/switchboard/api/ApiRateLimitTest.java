package io.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The HTTP API has a rate per caller: a caller over it gets 429, while others are served as before. */
@QuarkusTest
class ApiRateLimitTest {

    @Test
    void aCallerOverTheRateGets429AndOthersAreServed() {
        String greedy = "greedy-" + UUID.randomUUID().toString().substring(0, 8);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            statuses.add(given().queryParam("user_id", greedy).get("/api/users/{user}/presence", "anyone")
                    .then().extract().statusCode());
        }

        assertThat(statuses).contains(200, 429);
        assertThat(given().queryParam("user_id", "patient-" + greedy).get("/api/users/{user}/presence", "anyone")
                .then().extract().statusCode()).isEqualTo(200);
    }
}
