package io.switchboard.chat;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.OutgoingFrame;
import io.switchboard.direct.Inbox;

/**
 * Hands waiting direct messages to a connection ({@code offline:true}) and lets them leave the inbox only once the
 * device answers the ping that follows them: a device that drops during or right after the upgrade leaves
 * everything for the next one.
 */
@ApplicationScoped
class InboxHandout {

    private static final Logger LOG = Logger.getLogger(InboxHandout.class);

    private final Inbox inbox;
    private final FrameEncoder encoder;
    private final ChatMetrics metrics;

    InboxHandout(Inbox inbox, FrameEncoder encoder, ChatMetrics metrics) {
        this.inbox = inbox;
        this.encoder = encoder;
        this.metrics = metrics;
    }

    void handOut(Session session, List<DirectMessage> waiting) {
        List<DirectMessage> fresh = waiting.stream().filter(m -> session.firstDelivery(m.id())).toList();
        fresh.forEach(m -> session.send(OutgoingFrame.of(encoder.encode(m.fromInbox()))));
        metrics.framesOut("direct", fresh.size());
        if (waiting.isEmpty()) {
            return;
        }
        List<String> ids = waiting.stream().map(DirectMessage::id).toList();
        session.onceRead(() -> inbox.settle(session.user(), ids).subscribe().with(
                ok -> metrics.inboxDelivered(ids.size()),
                failure -> LOG.warnf("%d direct messages read by %s stay in the inbox (%s): the next device gets them too",
                        ids.size(), session.id(), failure.getMessage())));
    }
}
