package io.switchboard.node;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.broker.Broker;
import io.switchboard.broker.Envelope;
import io.switchboard.broker.InboundHandler;
import io.switchboard.broker.RoomEvent;
import io.switchboard.protocol.RoomMessage;

/**
 * What the broker brings to this instance, sent where it belongs: room traffic to local delivery (through
 * {@link RoomFeeds}, which keeps each room's order across gaps), direct
 * messages to {@link DirectMessaging}, control messages to {@link LocalControl}.
 * It registers itself with the broker at start-up rather than being injected into it, so the broker does not
 * depend on what depends on it.
 */
@ApplicationScoped
class InboundRouter implements InboundHandler {

    private final LocalDelivery local;
    private final RoomFeeds feeds;
    private final DirectMessaging directs;
    private final LocalControl control;
    private final LocalHub hub;

    InboundRouter(LocalDelivery local, RoomFeeds feeds, DirectMessaging directs, LocalControl control, LocalHub hub) {
        this.local = local;
        this.hub = hub;
        this.feeds = feeds;
        this.directs = directs;
        this.control = control;
    }

    void onStart(@Observes StartupEvent started, Broker broker) {
        broker.register(this);
    }

    @Override
    public void onRoomMessage(RoomMessage message) {
        feeds.live(message);
    }

    @Override
    public void onRoomResumed(String room) {
        feeds.resumed(room);
    }

    @Override
    public void onRoomEvent(RoomEvent event) {
        local.roomNews(event.room(), event.frame(), event.user());
        if (event.kind() == RoomEvent.Kind.MEMBER_LEFT && hub.isMember(event.user(), event.room())) {
            // the room's own channel brings the leave too: the user's devices here follow it even when the
            // membership envelope through RabbitMQ is late or lost (it is retried, and then finds nothing to do)
            control.apply(new Envelope.Membership(event.user(), event.room(), false, null, null));
        }
    }

    @Override
    public Uni<Void> onEnvelope(Envelope envelope) {
        if (envelope instanceof Envelope.Direct direct) {
            return directs.receive(direct);
        }
        control.apply(envelope);
        return Uni.createFrom().voidItem();
    }

    /** Control messages for a gone instance concern connections that are gone too; direct messages are retried. */
    @Override
    public Uni<Void> onUndelivered(Envelope envelope, String lostServer) {
        if (envelope instanceof Envelope.Direct direct && direct.forRecipient()) {
            return directs.retry(direct, lostServer);
        }
        return Uni.createFrom().voidItem();
    }
}
