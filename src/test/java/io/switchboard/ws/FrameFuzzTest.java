package io.switchboard.ws;

import static io.switchboard.testing.RawSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;

/**
 * Framing, fragmentation, UTF-8 and close cases in the spirit of the Autobahn TestSuite (RFC 6455 §5, §7.4): each
 * broken stream of frames ends the connection with the close code the RFC names for it.
 */
@QuarkusTest
class FrameFuzzTest extends ChatTest {

    private static final int PROTOCOL_ERROR = 1002;
    private static final int NOT_UTF8 = 1007;
    private static final byte[] NOT_UTF8_BYTES = { '"', (byte) 0xC3, (byte) 0x28, '"' };

    static Stream<Arguments> brokenStreams() {
        return Stream.of(
                Arguments.of("a ping over 125 bytes", frame(true, 0, 0x9, new byte[126], true), PROTOCOL_ERROR),
                Arguments.of("a fragmented ping", frame(false, 0, 0x9, bytes("p"), true), PROTOCOL_ERROR),
                Arguments.of("a continuation with no message to continue", frame(true, 0, 0x0, bytes("x"), true),
                        PROTOCOL_ERROR),
                Arguments.of("a new text frame inside a fragmented message",
                        join(frame(false, 0, 0x1, bytes("{"), true), frame(true, 0, 0x1, bytes("}"), true)),
                        PROTOCOL_ERROR),
                Arguments.of("reserved data opcode 3", frame(true, 0, 0x3, bytes("x"), true), PROTOCOL_ERROR),
                Arguments.of("reserved control opcode 11", frame(true, 0, 0xB, bytes("x"), true), PROTOCOL_ERROR),
                Arguments.of("RSV2 set", frame(true, 0x2, 0x1, bytes("{}"), true), PROTOCOL_ERROR),
                Arguments.of("an unmasked client frame", frame(true, 0, 0x1, bytes("{}"), false), PROTOCOL_ERROR),
                Arguments.of("a close with a one-byte payload", frame(true, 0, 0x8, new byte[] { 3 }, true),
                        PROTOCOL_ERROR),
                Arguments.of("close code 999", frame(true, 0, 0x8, status(999, ""), true), PROTOCOL_ERROR),
                Arguments.of("close code 1005, never on the wire", frame(true, 0, 0x8, status(1005, ""), true),
                        PROTOCOL_ERROR),
                Arguments.of("close code 2999, never assigned", frame(true, 0, 0x8, status(2999, ""), true),
                        PROTOCOL_ERROR),
                Arguments.of("text that is not UTF-8", frame(true, 0, 0x1, NOT_UTF8_BYTES, true), NOT_UTF8),
                Arguments.of("text that is not UTF-8 across fragments",
                        join(frame(false, 0, 0x1, new byte[] { '"', (byte) 0xE2, (byte) 0x82 }, true),
                                frame(true, 0, 0x0, new byte[] { 0x28, '"' }, true)),
                        NOT_UTF8),
                // the header and a little of the payload: the header alone decides, and a client still writing
                // the rest when the server closes would be reset before it could read the close frame
                Arguments.of("a frame over the cut-off size, cut off from its header",
                        Arrays.copyOf(frame(true, 0, 0x1, new byte[300_000], true), 14 + 100), 1009),
                Arguments.of("a normal close", frame(true, 0, 0x8, status(1000, "bye"), true), 1000),
                Arguments.of("an application's close code", frame(true, 0, 0x8, status(4000, "app"), true), 4000));
    }

    @ParameterizedTest(name = "{0} closes with {2}")
    @MethodSource("brokenStreams")
    void aBrokenStreamClosesWithTheCodeTheRfcNames(String what, byte[] stream, int closeCode) throws Exception {
        try (RawSocket client = RawSocket.upgraded(ws, "user_id=" + clients.id("fuzz"))) {
            client.write(stream);

            assertThat(client.readCloseCode()).as(what).isEqualTo(closeCode);
        }
    }

    @Test
    void aFragmentedMessageWithAPingBetweenItsFramesIsAnsweredAndSoIsThePing() throws Exception {
        try (RawSocket client = RawSocket.upgraded(ws, "user_id=" + clients.id("fuzz"))) {
            client.write(join(frame(false, 0, 0x1, bytes("{\"type\":\"pi"), true),
                    frame(true, 0, 0x9, bytes("between"), true),
                    frame(false, 0, 0x0, bytes("ng\",\"ref\""), true),
                    frame(true, 0, 0x0, bytes(":\"frag\"}"), true)));

            int[] frames = client.countFrames(Duration.ofSeconds(1), Duration.ofSeconds(5));

            assertThat(frames[0xA]).as("pongs").isEqualTo(1);
            assertThat(frames[0x1]).as("text frames: welcome and pong").isEqualTo(2);
            assertThat(frames[0x8]).as("close frames").isZero();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] status(int code, String reason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(code >> 8);
        out.write(code);
        out.writeBytes(bytes(reason));
        return out.toByteArray();
    }

    private static byte[] join(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }
}
