package io.switchboard.chat;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.bus.ControlHandler;
import io.switchboard.bus.Envelope;
import io.switchboard.bus.InstanceRoute;
import io.switchboard.protocol.CloseCodes;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.protocol.ServerFrame;
import io.switchboard.room.RoomHistory;

/**
 * Control messages for this instance's devices of a user, whether they came through the instance route (it
 * registers itself there at start) or from a use case here: an administrator's kick, an invitation, a direct
 * message kept in the inbox while a device was connecting, and another device's membership change, which this
 * instance's devices follow.
 */
@ApplicationScoped
class LocalControl implements ControlHandler {

    private static final Logger LOG = Logger.getLogger(LocalControl.class);

    private final LocalDelivery local;
    private final RoomSubscriptions subscriptions;
    private final LocalHub hub;
    private final InboxHandout handout;
    private final RoomHistory history;

    LocalControl(LocalDelivery local, RoomSubscriptions subscriptions, LocalHub hub, InboxHandout handout,
            RoomHistory history) {
        this.history = history;
        this.local = local;
        this.subscriptions = subscriptions;
        this.hub = hub;
        this.handout = handout;
    }

    void onStart(@Observes StartupEvent started, InstanceRoute route) {
        route.handle(this);
    }

    @Override
    public void apply(Envelope envelope) {
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

    /**
     * Another device joined or left. A join is answered to the devices here once this instance hears the room,
     * followed by what was posted since the joining instance's position ({@code after}): a message posted right
     * after the join reaches them too, though it came before the room was heard here. The room's live messages
     * wait behind that answer, and those it lists are not sent twice.
     */
    private void follow(Envelope.Membership change) {
        if (!change.joined()) {
            subscriptions.remove(change.room(), change.user());
            local.toUser(change.user(), new ServerFrame.Left(null, change.room()), change.exceptSession());
            return;
        }
        String room = change.room();
        List<Session> devices = hub.sessionsOf(change.user()).stream()
                .filter(session -> !session.id().equals(change.exceptSession())).toList();
        devices.forEach(session -> session.holdRoom(room));
        MessageId after = MessageId.parse(change.after());
        subscriptions.follow(room, change.user())
                .chain(() -> after == null ? Uni.createFrom().item(List.<RoomMessage>of())
                        : history.after(room, after).map(RoomHistory.Catchup::messages))
                .onFailure().invoke(failure -> LOG.warnf("room %s followed without its latest messages: %s", room,
                        failure.getMessage()))
                .onFailure().recoverWithItem(List.of())
                .subscribe().with(posted -> local.answerJoins(devices, room,
                        new ServerFrame.Joined(null, room, null, null, null), newest(posted)));
    }

    /** At most as many as a {@code joined} may list, the newest. */
    private static List<RoomMessage> newest(List<RoomMessage> posted) {
        return posted.subList(Math.max(0, posted.size() - ReplyBound.MAX_MESSAGES), posted.size());
    }
}
