package io.switchboard.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;

/**
 * Every request head on a keep-alive HTTP/1.1 connection has the handshake timeout (1 s here), counted from its
 * first byte, not only the first one; the other timeouts keep their defaults, so only the head deadline can cut.
 */
@QuarkusTest
@TestProfile(KeepAliveHeadDeadlineTest.QuickHeads.class)
class KeepAliveHeadDeadlineTest extends ChatTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);

    public static class QuickHeads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.liveness.handshake-timeout", "1S");
        }
    }

    @Test
    void aSecondRequestHeadSentAByteAtATimeIsCutOff() throws Exception {
        try (RawSocket slow = RawSocket.open(ws)) {
            slow.write(request("/q/health/live"));
            assertThat(slow.readResponse()).startsWith("HTTP/1.1 200");
            long started = System.nanoTime();
            byte[] head = ("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(60) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            assertThat(slow.cutOffWhileTrickling(head)).as("cut off before the second head was complete").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HANDSHAKE_TIMEOUT.multipliedBy(3));
        }
    }

    /** The clock of the next head starts with its first byte: a pause between requests is the idle timeout's. */
    @Test
    void requestsSpreadOverMoreThanTheTimeoutAreServed() throws Exception {
        try (RawSocket client = RawSocket.open(ws)) {
            for (int i = 0; i < 4; i++) {
                client.write(request("/q/health/live"));
                assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
                // no assertion on time: only a gap that adds up past the head timeout
                Thread.sleep(HANDSHAKE_TIMEOUT.dividedBy(2).toMillis());
            }
        }
    }

    /** A WebSocket keeps no head deadline: a frame may come as slowly as the other timeouts allow. */
    @Test
    void anOpenWebSocketIsNotHeldToTheHeadDeadline() throws Exception {
        try (RawSocket socket = RawSocket.upgraded(ws, "user_id=" + clients.id("slow-frame"))) {
            byte[] ping = RawSocket.frame(true, 0, 0x9, "slow".getBytes(StandardCharsets.US_ASCII), true);
            socket.write(new byte[] { ping[0] });

            assertThat(socket.closedByServerWithin(HANDSHAKE_TIMEOUT.multipliedBy(2))).isFalse();
            socket.write(Arrays.copyOfRange(ping, 1, ping.length));
            assertThat(socket.closedByServerWithin(Duration.ofMillis(200))).isFalse();
        }
    }

    private static byte[] request(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
