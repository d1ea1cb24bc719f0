package io.switchboard.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;
import io.switchboard.ws.transport.VertxWebSockets;
import io.vertx.core.http.ServerWebSocket;

/**
 * An open connection keeps of its upgrade only what the handshake needed: not a browser's cookies and user agent,
 * not its token, which would otherwise be held (twice) for as long as the connection lives.
 */
@QuarkusTest
class UpgradeRetentionTest extends ChatTest {

    @Inject
    OpenConnections connections;

    @Test
    void cookiesUserAgentAndTokenAreNotKeptForTheConnectionsLife() throws Exception {
        String user = clients.id("browser");
        String browserHeaders = "Cookie: session=" + "c".repeat(2000) + "\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36\r\n"
                + "Authorization: Bearer not-needed-after-the-upgrade\r\n"
                + "X-Forwarded-For: 203.0.113.7\r\n";
        try (RawSocket browser = RawSocket.upgraded(ws, "user_id=" + user, browserHeaders)) {
            assertThat(browser.upgradeHead()).startsWith("HTTP/1.1 101");
            WebSocketConnection connection = await().atMost(Duration.ofSeconds(5))
                    .until(() -> connectionOf(user), Optional::isPresent).orElseThrow();
            Map<String, ?> kept = connection.handshakeRequest().headers();

            assertThat(kept).containsKeys("host", "upgrade", "sec-websocket-key", "x-forwarded-for")
                    .doesNotContainKeys("cookie", "user-agent", "authorization");
            // the upgrade request's own header map, which Vert.x keeps for the socket's life, is emptied once open
            assertThat(((ServerWebSocket) VertxWebSockets.of(connection)).headers().isEmpty()).isTrue();
        }
    }

    /** What every client's handshake says alike is kept once for all connections, not once per connection. */
    @Test
    void connectionsShareTheHeaderNamesAndTheHandshakeValuesTheyKeep() {
        String first = clients.id("first");
        String second = clients.id("second");
        clients.user(first);
        clients.user(second);
        Map<String, List<String>> a = connectionOf(first).orElseThrow().handshakeRequest().headers();
        Map<String, List<String>> b = connectionOf(second).orElseThrow().handshakeRequest().headers();

        for (String name : List.of("host", "upgrade", "connection", "sec-websocket-version")) {
            assertThat(keyOf(a, name)).as(name).isSameAs(keyOf(b, name));
        }
        assertThat(a.get("upgrade").get(0)).isSameAs(b.get("upgrade").get(0));
        assertThat(a.get("sec-websocket-version").get(0)).isSameAs(b.get("sec-websocket-version").get(0));
    }

    private static String keyOf(Map<String, ?> headers, String name) {
        return headers.keySet().stream().filter(name::equals).findFirst().orElseThrow();
    }

    private Optional<WebSocketConnection> connectionOf(String user) {
        return connections.stream().filter(c -> c.handshakeRequest().query().contains(user)).findFirst();
    }
}
