package io.switchboard.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.protocol.Utf8;

/**
 * Keeps a reply that lists stored messages ({@code joined.missed}, {@code history}) within PROTOCOL's bound: at
 * most {@value #MAX_MESSAGES} messages and {@code limits.max-reply-bytes} of them encoded, the newest kept. A
 * thousand bodies of escaped control characters would otherwise make one frame of tens of megabytes, queued in
 * full whatever the client reads.
 */
@ApplicationScoped
class ReplyBound {

    static final int MAX_MESSAGES = 100;

    private final FrameEncoder encoder;
    private final int maxBytes;

    ReplyBound(FrameEncoder encoder, SwitchboardConfig config) {
        this.encoder = encoder;
        this.maxBytes = config.limits().maxReplyBytes();
    }

    /** The newest of {@code messages} (oldest first) that fit, oldest first; whether any had to be left out. */
    Trimmed newest(List<RoomMessage> messages) {
        List<RoomMessage> kept = new ArrayList<>();
        int bytes = 0;
        for (int i = messages.size() - 1; i >= 0 && kept.size() < MAX_MESSAGES; i--) {
            bytes += Utf8.length(encoder.encode(messages.get(i))) + 1;
            if (bytes > maxBytes) {
                break;
            }
            kept.add(messages.get(i));
        }
        Collections.reverse(kept);
        return new Trimmed(kept, kept.size() < messages.size());
    }

    record Trimmed(List<RoomMessage> messages, boolean cut) {
    }
}
