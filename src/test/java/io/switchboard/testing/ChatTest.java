package io.switchboard.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.net.URI;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.core.Vertx;

/** Base of the WebSocket tests: real clients against the running application, closed after each test. */
public abstract class ChatTest {

    @TestHTTPResource("/ws")
    protected URI ws;

    /** Its own Vert.x, not the application's, so the same tests also run against a packaged app (ITs). */
    protected static final Vertx vertx = Vertx.vertx();

    public static Vertx sharedVertx() {
        return vertx;
    }

    protected Clients clients;

    /** What {@code GET /api/users/{user}/presence} says, asked as an unrelated user. */
    protected static boolean online(String user) {
        return given().queryParam("user_id", "probe")
                .get("/api/users/{user}/presence", user)
                .then().statusCode(200)
                .extract().path("online");
    }

    /** Waits, with a bound, until the server shows the user offline everywhere. */
    protected static void awaitOffline(String user) {
        await().atMost(ChatClient.WAIT).until(() -> !online(user));
    }

    /** A counter of this instance's {@code /q/metrics} scrape (0 before its first increment). */
    protected static double counter(String name) {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return scrape.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1).trim())).orElse(0.0);
    }

    /** Waits until the inbox has let go of {@code count} more messages than {@code before}: a device took them. */
    protected static void awaitInboxSettled(double before, int count) {
        await().atMost(ChatClient.WAIT).until(() -> counter("switchboard_inbox_delivered_total") >= before + count);
    }

    @BeforeEach
    void openClients() {
        clients = new Clients(ws);
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }
}
