package io.switchboard.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;

/**
 * No WebSocket compression is negotiated, in either of the two forms Vert.x knows, so a small compressed frame
 * can never be inflated into a huge one: a frame that claims to be compressed ends the connection, and nobody
 * else notices.
 */
@QuarkusTest
class CompressionRefusedTest extends ChatTest {

    @Test
    void neitherPerMessageNorPerFrameDeflateIsAccepted() throws Exception {
        String offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-webkit-deflate-frame, "
                + "deflate-frame\r\n";
        try (RawSocket client = RawSocket.upgraded(ws, "user_id=" + clients.id("zip"), offer)) {
            assertThat(client.upgradeHead().toLowerCase()).doesNotContain("sec-websocket-extensions");
        }
    }

    @Test
    void aCompressionBombClosesOnlyItsOwnConnection() throws Exception {
        try (RawSocket bomber = RawSocket.upgraded(ws, "user_id=" + clients.id("bomber"))) {
            bomber.sendFrame(0x1, bomb(), true);

            assertThat(bomber.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
        }
        ChatClient bystander = clients.user(clients.id("bystander"));
        assertThat(bystander.request(new io.vertx.core.json.JsonObject().put("type", "ping")).getString("type"))
                .isEqualTo("pong");
    }

    /** 16 MiB of one character, deflated to a few KiB, as permessage-deflate would carry it. */
    private static byte[] bomb() {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(("{\"type\":\"ping\",\"ref\":\"" + "a".repeat(16 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.US_ASCII));
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH));
        }
        return out.toByteArray();
    }
}
