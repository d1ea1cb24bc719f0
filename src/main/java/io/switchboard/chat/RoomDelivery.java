package io.switchboard.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.switchboard.bus.Envelope;
import io.switchboard.bus.RoomBus;
import io.switchboard.bus.RoomEvent;
import io.switchboard.bus.RoomListener;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.OutgoingFrame;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.protocol.ServerFrame;
import io.switchboard.room.RoomHistory;

/**
 * Delivers the room bus's traffic to this instance's members of each room, every frame encoded once and written
 * through {@link LocalHub}. It registers itself on the bus at start.
 * <p>
 * Each local room's messages reach its members once each and in id order, whichever way they come: live from
 * the bus, or caught up from the room's history after the bus heard the room again following a gap (its
 * subscription was lost while Redis restarted, or moved). Per room it keeps the last id delivered here, which
 * only advances: a message at or below it is dropped, and a catch-up starts after it. While a catch-up is out,
 * live messages wait behind it. When the history no longer reaches back that far (trimmed, or lost with Redis's
 * data), the room's members here get {@code resync} (they catch up themselves with {@code join} + {@code since}),
 * then what the history still has.
 */
@ApplicationScoped
class RoomDelivery implements RoomListener {

    private static final Logger LOG = Logger.getLogger(RoomDelivery.class);

    private final RoomHistory history;
    private final LocalHub hub;
    private final FrameEncoder encoder;
    private final ChatMetrics metrics;
    /** Looked up when used: the control applies leaves through the subscriptions, which depend on this class. */
    private final Provider<LocalControl> control;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    RoomDelivery(RoomHistory history, LocalHub hub, FrameEncoder encoder, ChatMetrics metrics,
            Provider<LocalControl> control) {
        this.history = history;
        this.hub = hub;
        this.encoder = encoder;
        this.metrics = metrics;
        this.control = control;
    }

    void onStart(@Observes StartupEvent started, RoomBus bus) {
        bus.listen(this);
    }

    /** The room is about to be heard here: messages from now on are counted. */
    void starting(String room) {
        feeds.computeIfAbsent(room, Feed::new);
    }

    /**
     * The room is heard here now. Where its history stood is noted, so that a gap before anything was delivered
     * is caught up from there.
     */
    void started(String room) {
        Feed feed = feeds.get(room);
        if (feed == null || feed.floorKnown()) {
            return;
        }
        history.before(room, null, 1).subscribe().with(
                newest -> feed.floor(newest.isEmpty() ? MessageId.FIRST : newest.get(0).messageId()),
                failure -> LOG.debugf("where %s stood is unknown: %s", room, failure.getMessage()));
    }

    /** How far the room was delivered here: the last id, else where it stood when first heard; null if unknown. */
    MessageId position(String room) {
        Feed feed = feeds.get(room);
        return feed == null ? null : feed.position();
    }

    /** The room is no longer heard here: nobody here is left to count for. */
    void stopped(String room) {
        feeds.remove(room);
    }

    @Override
    public void message(RoomMessage message) {
        Feed feed = feeds.get(message.room());
        if (feed == null) {
            write(message); // a room not heard here has no member here either
            return;
        }
        feed.live(message);
    }

    /** The bus heard the room again after a gap: whatever was stored since the last delivered is fetched. */
    @Override
    public void resumed(String room) {
        Feed feed = feeds.get(room);
        if (feed != null) {
            feed.catchUp();
        }
    }

    /** Room news for every local member's connections but the user's own. */
    @Override
    public void event(RoomEvent event) {
        news(event.room(), event.frame(), event.user());
        if (event.kind() == RoomEvent.Kind.MEMBER_LEFT && hub.isMember(event.user(), event.room())) {
            // the room's own channel brings the leave too: the user's devices here follow it even when the
            // membership envelope through RabbitMQ is late or lost (it is retried, and then finds nothing to do)
            control.get().apply(new Envelope.Membership(event.user(), event.room(), false, null, null));
        }
    }

    private void write(RoomMessage message) {
        int connections = hub.sendToRoom(message.room(), OutgoingFrame.of(encoder.encode(message)), null,
                message.messageId());
        metrics.framesOut(message.type(), connections);
        metrics.delivered(connections, message.ts());
    }

    private void news(String room, ServerFrame frame, String exceptUser) {
        metrics.framesOut(frame.type(), hub.sendToRoom(room, OutgoingFrame.of(encoder.encode(frame)), exceptUser, null));
    }

    /** Tells the room's local members that they may have missed messages here. */
    private void resync(String room) {
        news(room, new ServerFrame.Resync(room), null);
    }

    /** One room's delivery here. */
    private final class Feed {
        private final String room;
        /** The last id delivered here; null before the first. */
        private MessageId last;
        /** The room's newest id when it came to be heard here; null until read. */
        private MessageId floor;
        /** Live messages that came while a catch-up was out; null when none is. */
        private List<RoomMessage> held;
        /** Another gap was reported while a catch-up was out: one more follows it. */
        private boolean again;

        Feed(String room) {
            this.room = room;
        }

        synchronized boolean floorKnown() {
            return floor != null;
        }

        synchronized MessageId position() {
            return last != null ? last : floor;
        }

        synchronized void floor(MessageId newest) {
            floor = newest;
        }

        synchronized void live(RoomMessage message) {
            if (held != null) {
                held.add(message);
                return;
            }
            deliver(message);
        }

        /** Delivers a message newer than the last one delivered; others are repeats, dropped. */
        private void deliver(RoomMessage message) {
            MessageId id = message.messageId();
            if (last != null && id.compareTo(last) <= 0) {
                return;
            }
            last = id;
            write(message);
        }

        void catchUp() {
            MessageId from;
            synchronized (this) {
                if (held != null) {
                    again = true;
                    return;
                }
                from = last != null ? last : floor;
                if (from == null) {
                    // nothing delivered and where the room stood is unknown: the members cannot be vouched for
                    LOG.warnf("room %s heard again with no known position: its members are told to resync", room);
                    resync(room);
                    return;
                }
                held = new ArrayList<>();
            }
            MessageId since = from;
            history.after(room, since).subscribe().with(caught -> caughtUp(since, caught), failure -> {
                LOG.warnf("room %s not caught up (%s): its members are told to resync", room, failure.getMessage());
                caughtUp(since, null);
            });
        }

        private void caughtUp(MessageId since, RoomHistory.Catchup caught) {
            boolean more;
            synchronized (this) {
                // from the room's first message on, a catch-up is whole when the stream has anything
                if (caught == null || !caught.complete() && !since.equals(MessageId.FIRST)) {
                    resync(room);
                }
                if (caught != null) {
                    // what the stream still has follows, whole or not: a client that ignores resync sees it too
                    caught.messages().forEach(this::deliver);
                }
                List<RoomMessage> waiting = held;
                held = null;
                waiting.forEach(this::deliver);
                more = again;
                again = false;
            }
            if (more) {
                catchUp();
            }
        }
    }
}
