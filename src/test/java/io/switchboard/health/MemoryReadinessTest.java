package io.switchboard.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** On the memory engine the application is ready with Redis and RabbitMQ absent, and says nothing about them. */
@QuarkusTest
class MemoryReadinessTest {

    @Test
    void readyWithoutAnyCheckOfRedisOrRabbitMq() {
        List<String> checks = given().get("/q/health/ready").then().statusCode(200)
                .extract().jsonPath().getList("checks.name");

        assertThat(checks).doesNotContain("redis");
        assertThat(given().get("/q/health/ready").then().extract().jsonPath().getMap("checks[0].data")).isNull();
    }
}
