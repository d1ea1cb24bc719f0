package io.switchboard.node;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.broker.Envelope;
import io.switchboard.protocol.CloseCodes;
import io.switchboard.protocol.ServerFrame;

/**
 * Control messages for this instance's devices of a user, whether they came through the broker or from a use
 * case here: an administrator's kick, an invitation, a direct message kept in the inbox while a device was
 * connecting, and another device's membership change, which this instance's devices follow.
 */
@ApplicationScoped
class LocalControl {

    private final LocalDelivery local;
    private final RoomSubscriptions subscriptions;
    private final LocalHub hub;
    private final InboxHandout handout;

    LocalControl(LocalDelivery local, RoomSubscriptions subscriptions, LocalHub hub, InboxHandout handout) {
        this.local = local;
        this.subscriptions = subscriptions;
        this.hub = hub;
        this.handout = handout;
    }

    void apply(Envelope envelope) {
        if (envelope instanceof Envelope.Kick kick) {
            local.disconnect(kick.user(), CloseCodes.POLICY, "disconnected by an administrator");
        } else if (envelope instanceof Envelope.Membership membership) {
            follow(membership);
        } else if (envelope instanceof Envelope.Stored stored) {
            hub.sessionsOf(stored.message().to()).forEach(session -> handout.handOut(session, List.of(stored.message())));
        } else if (envelope instanceof Envelope.Invitation invitation) {
            local.toUser(invitation.user(), new ServerFrame.Invited(invitation.room(), invitation.from()), null);
        } else {
            throw new IllegalArgumentException("not a control message: " + envelope.getClass().getSimpleName());
        }
    }

    private void follow(Envelope.Membership change) {
        ServerFrame notice;
        if (change.joined()) {
            subscriptions.follow(change.room(), change.user());
            notice = new ServerFrame.Joined(null, change.room(), null, null, null);
        } else {
            subscriptions.remove(change.room(), change.user());
            notice = new ServerFrame.Left(null, change.room());
        }
        local.toUser(change.user(), notice, change.exceptSession());
    }
}
