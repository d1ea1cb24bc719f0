package io.switchboard.node;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.switchboard.broker.Broker;
import io.switchboard.broker.Envelope;
import io.switchboard.broker.InboundHandler;
import io.switchboard.broker.RoomEvent;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.OutgoingFrame;
import io.switchboard.protocol.ServerFrame;
import io.switchboard.room.Inbox;

/** Delivers what reaches this instance, from its own users or through the broker, to local connections. */
@ApplicationScoped
public class LocalDelivery implements InboundHandler {

    static final int CLOSE_POLICY = 1008;
    private static final Logger LOG = Logger.getLogger(LocalDelivery.class);

    private final LocalHub hub;
    private final FrameEncoder encoder;
    private final Inbox inbox;
    private final Broker broker;
    private final DirectMessaging directs;
    private final ChatMetrics metrics;

    LocalDelivery(LocalHub hub, FrameEncoder encoder, Inbox inbox, Broker broker, DirectMessaging directs,
            ChatMetrics metrics) {
        this.metrics = metrics;
        this.hub = hub;
        this.encoder = encoder;
        this.inbox = inbox;
        this.broker = broker;
        this.directs = directs;
    }

    @Override
    public void onRoomMessage(String room, String frame) {
        int connections = hub.sendToRoom(room, OutgoingFrame.of(frame), null);
        metrics.framesOut("message", connections);
        metrics.delivered(connections, storedAt(frame));
    }

    @Override
    public void onRoomEvent(RoomEvent event) {
        ServerFrame frame = event.frame();
        metrics.framesOut(frame.type(), hub.sendToRoom(event.room(), encode(frame), event.user()));
    }

    /** The {@code ts} of an encoded message frame, which both engines write last: no need to decode it. */
    static long storedAt(String frame) {
        int at = frame.lastIndexOf("\"ts\":");
        long ts = 0;
        for (int i = at + 5; at >= 0 && i < frame.length() && Character.isDigit(frame.charAt(i)); i++) {
            ts = ts * 10 + (frame.charAt(i) - '0');
        }
        return ts;
    }

    @Override
    public void onEnvelope(Envelope envelope) {
        if (envelope instanceof Envelope.Direct direct) {
            deliverDirect(direct.message(), direct.senderSession(), direct.forRecipient());
        } else if (envelope instanceof Envelope.Kick kick) {
            hub.sessionsOf(kick.user()).forEach(s -> s.close(CLOSE_POLICY, "disconnected by an administrator"));
        } else if (envelope instanceof Envelope.Membership membership) {
            followMembership(membership);
        } else if (envelope instanceof Envelope.Invitation invitation) {
            metrics.framesOut("invited", hub.sendToUser(invitation.user(),
                    encode(new ServerFrame.Invited(invitation.room(), invitation.from())), null));
        }
    }

    /** Control messages for a gone instance concern connections that are gone too; direct messages are retried. */
    @Override
    public void onUndelivered(Envelope envelope) {
        if (envelope instanceof Envelope.Direct direct && direct.forRecipient()) {
            directs.retry(direct).subscribe().with(ok -> {
            }, failure -> LOG.errorf(failure, "undelivered direct message %s was not kept", direct.message().id()));
        }
    }

    /**
     * Writes a direct message to the local connections of its recipient and of its sender (but the sending one).
     * When the recipient was expected here but has gone, the message is kept in the inbox, never dropped.
     *
     * @return whether a connection of the recipient got it
     */
    boolean deliverDirect(DirectMessage message, String senderSession, boolean storeIfRecipientGone) {
        OutgoingFrame frame = encode(message);
        int toRecipient = hub.sendToUser(message.to(), frame, senderSession);
        int toSender = message.from().equals(message.to()) ? 0 : hub.sendToUser(message.from(), frame, senderSession);
        metrics.framesOut(message.type(), toRecipient + toSender);
        boolean delivered = toRecipient > 0;
        if (!delivered && storeIfRecipientGone) {
            metrics.inboxStored();
            inbox.store(message).subscribe().with(ok -> {
            }, failure -> LOG.errorf(failure, "direct message %s could not be stored", message.id()));
        }
        return delivered;
    }

    /** Another device of a local user joined or left a room: this instance's devices follow. */
    private void followMembership(Envelope.Membership change) {
        ServerFrame notice;
        if (change.joined()) {
            if (hub.addMembership(change.room(), change.user())) {
                broker.subscribe(change.room()).subscribe().with(ok -> {
                }, failure -> LOG.errorf(failure, "subscribing to %s failed", change.room()));
            }
            notice = new ServerFrame.Joined(null, change.room(), null, null, null);
        } else {
            if (hub.removeMembership(change.room(), change.user())) {
                broker.unsubscribe(change.room()).subscribe().with(ok -> {
                }, failure -> LOG.errorf(failure, "unsubscribing from %s failed", change.room()));
            }
            notice = new ServerFrame.Left(null, change.room());
        }
        hub.sendToUser(change.user(), encode(notice), change.exceptSession());
    }

    private OutgoingFrame encode(Object frame) {
        return OutgoingFrame.of(encoder.encode(frame));
    }
}
