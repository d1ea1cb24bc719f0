package io.switchboard.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;

/**
 * One client address holds at most {@code max-connections-per-address} TCP connections: one more is reset when
 * accepted, before it sends a byte, while another address still connects. Each test has its own loopback
 * addresses, so the other tests' clients (on 127.0.0.1) do not count.
 */
@QuarkusTest
@TestProfile(ConnectionsPerAddressTest.SmallCap.class)
class ConnectionsPerAddressTest extends ChatTest {

    static final int CAP = 3;

    public static class SmallCap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.max-connections-per-address", String.valueOf(CAP));
        }
    }

    @Test
    void oneConnectionOverTheCapIsResetWhileAnotherAddressConnects() throws Exception {
        InetAddress crowded = InetAddress.getByName("127.0.0.3");
        List<RawSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                held.add(RawSocket.openFrom(ws, crowded));
            }
            assertThat(resetOrClosedByServer(crowded)).isTrue();
            try (RawSocket other = RawSocket.upgradedFrom(ws, "user_id=" + clients.id("other"),
                    InetAddress.getByName("127.0.0.4"))) {
                assertThat(other.upgradeHead()).startsWith("HTTP/1.1 101");
            }
            // the held ones, idle within the handshake timeout, stay open
            assertThat(held.get(0).closedByServerWithin(Duration.ofMillis(200))).isFalse();
        } finally {
            for (RawSocket socket : held) {
                socket.close();
            }
        }
    }

    /** The reset may come before the client's connect returns: that is as closed as it gets. */
    private boolean resetOrClosedByServer(InetAddress from) throws Exception {
        try (RawSocket extra = RawSocket.openFrom(ws, from)) {
            return extra.closedByServerWithin(Duration.ofSeconds(5));
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void aClosedConnectionGivesItsPlaceBack() throws Exception {
        InetAddress address = InetAddress.getByName("127.0.0.5");
        List<RawSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                held.add(RawSocket.openFrom(ws, address));
            }
            held.remove(0).close();

            // the server counts the close when it sees it: bounded retries until then
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
                try (RawSocket again = RawSocket.upgradedFrom(ws, "user_id=" + clients.id("again"), address)) {
                    return again.upgradeHead().startsWith("HTTP/1.1 101");
                }
            });
        } finally {
            for (RawSocket socket : held) {
                socket.close();
            }
        }
    }
}
