package io.switchboard.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Only Vert.x's report of a message over the size limit closes with 1009; another IllegalStateException is the
 * server's own failure, 1011. (The real report, end to end: {@link FrameTooLargeTest}.)
 */
class IllegalStateCloseTest {

    @Test
    void theFrameAggregatorsReportIsTooLarge() {
        IllegalStateException text = new IllegalStateException("Cannot process text frame of size 70000, it would"
                + " cause message buffer (size 70000) to overflow max message size of 65536");
        IllegalStateException binary = new IllegalStateException("Cannot process binary frame of size 70000, it would"
                + " cause message buffer (size 70000) to overflow max message size of 65536");

        assertThat(ChatEndpoint.closeFor(text).getCode()).isEqualTo(1009);
        assertThat(ChatEndpoint.closeFor(binary).getCode()).isEqualTo(1009);
    }

    @Test
    void anyOtherIllegalStateIsAnInternalError() {
        assertThat(ChatEndpoint.closeFor(new IllegalStateException("WebSocket is closed")).getCode()).isEqualTo(1011);
        assertThat(ChatEndpoint.closeFor(new IllegalStateException("Unsupported WebSocket msg")).getCode())
                .isEqualTo(1011);
        assertThat(ChatEndpoint.closeFor(new IllegalStateException()).getCode()).isEqualTo(1011);
    }
}
