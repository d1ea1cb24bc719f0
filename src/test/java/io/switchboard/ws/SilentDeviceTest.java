package io.switchboard.ws;

import static io.switchboard.testing.Frames.direct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;

/**
 * Dead peers are found by the server's pings (here every 0.3 s, closed after 1 s of silence; the defaults are
 * 10 s and 20 s): a device that went silent is shown offline and its direct messages are kept, while a device that
 * answers stays. A TCP connection that never sends a byte is closed after the idle timeout, one that sends its
 * request head too slowly after the handshake timeout.
 */
@QuarkusTest
@TestProfile(SilentDeviceTest.QuickPings.class)
class SilentDeviceTest extends ChatTest {

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);

    public static class QuickPings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.liveness.ping-interval", "0.3S",
                    "switchboard.liveness.ping-timeout", "1S",
                    "switchboard.liveness.idle-timeout", "1.5S",
                    "switchboard.liveness.handshake-timeout", "1S");
        }
    }

    @Test
    void aDeviceThatStopsAnsweringIsShownOfflineAndItsDirectMessagesAreKept() throws Exception {
        String bob = clients.id("bob");
        // the server last hears from it with its upgrade request, sent after this
        long silentSince = System.nanoTime();
        try (RawSocket silent = RawSocket.upgraded(ws, "user_id=" + bob)) {
            assertThat(online(bob)).isTrue();

            await().atMost(PING_TIMEOUT.multipliedBy(4)).until(() -> !online(bob));
            assertThat(Duration.ofNanos(System.nanoTime() - silentSince)).isGreaterThanOrEqualTo(PING_TIMEOUT);
            assertThat(silent.closedByServerWithin(Duration.ofSeconds(2))).isTrue();
        }
        ChatClient alice = clients.user(clients.id("alice"));
        assertThat(alice.request(direct(bob, "for later")).getString("delivered")).isEqualTo("stored");
    }

    @Test
    void aDeviceThatAnswersThePingsStaysConnected() {
        String carol = clients.id("carol");
        ChatClient device = clients.user(carol);

        await().during(PING_TIMEOUT.multipliedBy(3)).atMost(PING_TIMEOUT.multipliedBy(6))
                .until(() -> !device.isClosed() && online(carol));
    }

    @Test
    void aClientThatSendsItsHeadersAByteAtATimeIsCutOff() throws Exception {
        try (RawSocket slow = RawSocket.open(ws)) {
            long opened = System.nanoTime();
            byte[] head = ("GET /ws?user_id=" + clients.id("slowloris") + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n").getBytes(StandardCharsets.US_ASCII);
            assertThat(slow.cutOffWhileTrickling(head)).as("cut off before the head was complete").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(HANDSHAKE_TIMEOUT.multipliedBy(3));
        }
    }

    @Test
    void aConnectionThatNeverSendsAByteIsClosed() throws Exception {
        try (RawSocket idle = RawSocket.open(ws)) {
            assertThat(idle.closedByServerWithin(IDLE_TIMEOUT.multipliedBy(3))).isTrue();
        }
    }
}
