package io.switchboard.room;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.RoomMessage;

/**
 * Reads a room's stored messages. Messages are written by {@link io.switchboard.bus.RoomBus#publish}, which
 * stores and fans out in one step so that storage order and delivery order are the same.
 */
public interface RoomHistory {

    /** The newest {@code limit} messages older than {@code before} (or the newest overall when null), oldest first. */
    Uni<List<RoomMessage>> before(String room, MessageId before, int limit);

    /**
     * Every retained message after {@code since}, oldest first, and whether nothing in between was lost: trimmed
     * beyond the history window, or gone with the whole log (retention, or a Redis that restarted empty).
     */
    Uni<Catchup> after(String room, MessageId since);

    /** Drops the room's stored messages: a private room created again must not show what its last life said. */
    Uni<Void> forget(String room);

    record Catchup(List<RoomMessage> messages, boolean complete) {
    }
}
