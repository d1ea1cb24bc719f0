package io.switchboard.protocol;

import java.nio.charset.StandardCharsets;

/**
 * An encoded server frame as it goes on the wire: JSON text and its UTF-8 bytes, both computed once, so a frame
 * written to a hundred connections is encoded once, not a hundred times.
 */
public final class OutgoingFrame {

    private final String text;
    private final byte[] utf8;

    private OutgoingFrame(String text) {
        this.text = text;
        this.utf8 = text.getBytes(StandardCharsets.UTF_8);
    }

    public static OutgoingFrame of(String text) {
        return new OutgoingFrame(text);
    }

    public String text() {
        return text;
    }

    /** Shared by every connection the frame goes to: never modified. */
    public byte[] utf8() {
        return utf8;
    }

    @Override
    public String toString() {
        return text;
    }
}
