package io.switchboard.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.EncodedMessage;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.protocol.RoomMessage;

/**
 * Keeps a reply that lists stored messages ({@code joined.missed}, {@code history}) within PROTOCOL's bound: at
 * most {@value #MAX_MESSAGES} messages and {@code limits.max-reply-bytes} of them encoded, the newest kept. A
 * thousand bodies of escaped control characters would otherwise make one frame of tens of megabytes, queued in
 * full whatever the client reads. Such a reply is the costliest answer a frame can get, so the connection pays
 * for what it lists, and gets none while it leaves what was sent unread.
 */
@ApplicationScoped
class ReplyBound {

    static final int MAX_MESSAGES = 100;

    private final FrameEncoder encoder;
    private final int maxBytes;
    private final int bytesPerToken;

    ReplyBound(FrameEncoder encoder, SwitchboardConfig config) {
        this.encoder = encoder;
        this.maxBytes = config.limits().maxReplyBytes();
        this.bytesPerToken = config.limits().replyBytesPerToken();
    }

    /** Refuses, before anything is fetched, a listing for a client that has not read what was already sent. */
    void refuseWhileBacklogged(Session session) {
        if (session.backlogged()) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "read what was sent first: history and catch-up"
                    + " wait while half of switchboard.limits.outbound-queue-bytes is unread");
        }
    }

    /**
     * The newest of {@code messages} (oldest first) that fit, oldest first, each encoded once; whether any had to
     * be left out. The session pays a token per {@code limits.reply-bytes-per-token} encoded.
     */
    Trimmed newest(Session session, List<RoomMessage> messages) {
        List<EncodedMessage> kept = new ArrayList<>();
        int bytes = 0;
        for (int i = messages.size() - 1; i >= 0 && kept.size() < MAX_MESSAGES; i--) {
            EncodedMessage message = encoder.encodeStored(messages.get(i));
            bytes += message.utf8Length() + 1;
            if (bytes > maxBytes) {
                break;
            }
            kept.add(message);
        }
        session.charge(bytes / bytesPerToken);
        Collections.reverse(kept);
        return new Trimmed(kept, kept.size() < messages.size());
    }

    record Trimmed(List<EncodedMessage> messages, boolean cut) {
    }
}
