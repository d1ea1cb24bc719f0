package io.switchboard.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * Behind a trusted proxy every connection comes from the proxy: the per-address cap counts the forwarded
 * address instead, at the upgrade, and answers 429 over it, while the proxy itself is never capped.
 */
@QuarkusTest
@TestProfile(ForwardedConnectionsPerAddressTest.BehindProxy.class)
class ForwardedConnectionsPerAddressTest extends ChatTest {

    static final int CAP = 2;

    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.limits.max-connections-per-address", String.valueOf(CAP),
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true");
        }
    }

    @Test
    void aForwardedAddressOverTheCapIsRefusedWhileAnotherOneConnects() throws Exception {
        List<RawSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                held.add(RawSocket.upgraded(ws, "user_id=" + clients.id("crowd"), forwardedFor("10.0.0.1")));
            }

            assertThatThrownBy(() -> RawSocket.upgraded(ws, "user_id=" + clients.id("extra"), forwardedFor("10.0.0.1")))
                    .hasMessageContaining("429");
            try (RawSocket other = RawSocket.upgraded(ws, "user_id=" + clients.id("other"), forwardedFor("10.0.0.2"))) {
                assertThat(other.upgradeHead()).startsWith("HTTP/1.1 101");
            }
        } finally {
            for (RawSocket socket : held) {
                socket.close();
            }
        }
    }

    private static String forwardedFor(String address) {
        return "X-Forwarded-For: " + address + "\r\n";
    }
}
