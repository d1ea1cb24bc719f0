package io.switchboard.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;

/** An upgrade needs exactly one {@code Sec-WebSocket-Key}, the base64 of 16 bytes; anything else is a 400. */
@QuarkusTest
class UpgradeKeyTest extends ChatTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a valid key          | Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==                                              | 101
            empty                | 'Sec-WebSocket-Key: '                                                                    | 400
            not base64           | Sec-WebSocket-Key: not*base64*at*all*here**                                              | 400
            15 bytes             | Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZ                                                 | 400
            long                 | LONG                                                                                     | 400
            two keys             | TWO                                                                                      | 400
            """)
    void theKeyIsCheckedBeforeTheUpgrade(String what, String keyHeaders, int status) throws Exception {
        String keys = switch (keyHeaders) {
            case "LONG" -> "Sec-WebSocket-Key: " + "QUFB".repeat(2000);
            case "TWO" -> "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==";
            default -> keyHeaders;
        };
        try (RawSocket raw = RawSocket.open(ws)) {
            raw.write(("GET /ws?user_id=" + clients.id("keyed") + " HTTP/1.1\r\n"
                    + "Host: " + ws.getHost() + ":" + ws.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n" + keys + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

            assertThat(raw.readHead()).as(what).startsWith("HTTP/1.1 " + status);
        }
    }
}
