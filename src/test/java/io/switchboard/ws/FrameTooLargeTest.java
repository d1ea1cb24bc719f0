package io.switchboard.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;

/** A message over {@code switchboard.limits.max-frame-bytes} (64 KiB here) closes the connection with 1009. */
@QuarkusTest
class FrameTooLargeTest extends ChatTest {

    static final String HUGE = "{\"type\":\"publish\",\"room\":\"lobby\",\"body\":\"" + "x".repeat(70_000) + "\"}";

    @Test
    void aMessageSentAsOneFrameClosesWith1009() throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        URI uri = URI.create(ws.toString().replaceFirst("^http", "ws") + "?user_id=" + clients.id("huge"));
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);

        socket.sendText(HUGE, true);

        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void aSingleUncompressedFrameOverTheLimitGetsA1009CloseFrameNotABareClose() throws Exception {
        try (RawSocket client = RawSocket.upgraded(ws, "user_id=" + clients.id("huge"))) {
            client.sendFrame(0x1, HUGE.getBytes(StandardCharsets.US_ASCII), false);

            assertThat(client.readCloseCode()).isEqualTo(1009);
        }
    }

    @Test
    void aMessageSentInSeveralFramesClosesWith1009() {
        ChatClient client = clients.user(clients.id("huge"));

        client.sendInFrames(HUGE, 65536);

        assertThat(client.awaitClose()).isEqualTo(1009);
    }
}
