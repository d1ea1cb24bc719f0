package io.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

/** The browser client's page and files are revalidated on each load, never cached as immutable. */
@QuarkusTest
class StaticRevalidationTest {

    @ParameterizedTest
    @ValueSource(strings = { "/", "/index.html", "/app.js" })
    void theClientIsServedNoCache(String path) {
        String cacheControl = given().get(path).then().statusCode(200).extract().header("Cache-Control");

        assertThat(cacheControl).isEqualTo("no-cache");
    }
}
