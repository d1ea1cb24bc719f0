package io.switchboard.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.room.RoomHistory;

/**
 * Each local room's messages reach its members once each and in id order, whichever way they come: live from
 * the broker, or caught up from the room's history after the broker heard the room again following a gap (its
 * subscription was lost while Redis restarted, or moved). Per room it keeps the last id delivered here, which
 * only advances: a message at or below it is dropped, and a catch-up starts after it. While a catch-up is out,
 * live messages wait behind it. When the history no longer reaches back that far (trimmed, or lost with Redis's
 * data), the room's members here get {@code resync} (they catch up themselves with {@code join} + {@code since}),
 * then what the history still has.
 */
@ApplicationScoped
class RoomFeeds {

    private static final Logger LOG = Logger.getLogger(RoomFeeds.class);

    private final RoomHistory history;
    private final LocalDelivery local;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    RoomFeeds(RoomHistory history, LocalDelivery local) {
        this.history = history;
        this.local = local;
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

    void live(RoomMessage message) {
        Feed feed = feeds.get(message.room());
        if (feed == null) {
            local.roomMessage(message); // a room not heard here has no member here either
            return;
        }
        feed.live(message);
    }

    /** The broker heard the room again after a gap: whatever was stored since the last delivered is fetched. */
    void resumed(String room) {
        Feed feed = feeds.get(room);
        if (feed != null) {
            feed.catchUp();
        }
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
            local.roomMessage(message);
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
                    local.resync(room);
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
                    local.resync(room);
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
