package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.RawSocket;

/**
 * A request body is refused by its declared size before anything reads it, even before the caller is known: the
 * answer comes while the client has sent only the head of a 9 MB request. A chunked body, whose size nobody
 * declares, is refused as soon as it passes the limit (64K here), not read to its end.
 */
@QuarkusTest
class RequestBodyLimitTest {

    @TestHTTPResource("/api/rooms/lobby/messages")
    URI messages;

    @Test
    void aHugeUnauthenticatedBodyIsRefusedWith413BeforeItIsSent() throws Exception {
        try (RawSocket client = RawSocket.open(messages)) {
            client.write(("POST " + messages.getPath() + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + 9 * 1024 * 1024 + "\r\n\r\n{\"body\":\"")
                    .getBytes(StandardCharsets.US_ASCII));

            assertThat(client.readHead()).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void aChunkedBodyIsRefusedWith413OnceItPassesTheLimitWhileTheClientStillSends() throws Exception {
        try (RawSocket client = RawSocket.open(messages)) {
            client.write(("POST " + messages.getPath() + "?user_id=admin&groups=admin HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("2000\r\n" + "x".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 9; i++) {
                client.write(chunk);
            }

            assertThat(client.readHead()).startsWith("HTTP/1.1 413");
        }
    }
}
