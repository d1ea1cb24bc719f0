package io.switchboard.metrics;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;

/** After real traffic, the Prometheus scrape shows it, with low-cardinality tags only. */
@QuarkusTest
class MetricsTest extends ChatTest {

    @Test
    void trafficShowsInTheScrapeWithoutUserOrRoomIds() {
        String alice = clients.id("alice");
        String room = clients.id("metered");
        ChatClient a = clients.user(alice);
        a.request(join(room));
        a.request(publish(room, "counted"));
        a.sendText("not json");
        a.await("error");
        ChatClient gone = clients.user(clients.id("leaver"));
        gone.close();

        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(scrape).contains("switchboard_connections ", "switchboard_users ", "switchboard_rooms_local ",
                "switchboard_frames_in_total{type=\"publish\"}", "switchboard_frames_in_total{type=\"invalid\"}",
                "switchboard_frames_out_total{type=\"message\"}", "switchboard_messages_published_total",
                "switchboard_messages_delivered_total", "switchboard_errors_total{code=\"bad_request\"}",
                "switchboard_delivery_latency_seconds_count", "switchboard_delivery_latency_seconds_bucket");
        assertThat(scrape).doesNotContain(alice).doesNotContain(room);
    }

    /** An open connection is a gauge, not a long-task timer sample kept per connection (bench/: idle memory). */
    @Test
    void anOpenConnectionIsCountedWithoutAPerConnectionTimer() {
        clients.user(clients.id("counted"));

        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(scrape).contains("switchboard_connections ").doesNotContain("http_server_websocket_connections");
    }

    @Test
    void closeCodesAClientChoosesAreBucketed() {
        ChatClient client = clients.user(clients.id("closer"));
        client.closeWith(4321);

        await().atMost(ChatClient.WAIT).until(() -> given().get("/q/metrics").then().extract().asString()
                .contains("switchboard_closes_total{code=\"4xxx\"}"));
        assertThat(given().get("/q/metrics").then().extract().asString()).doesNotContain("code=\"4321\"");
    }
}
