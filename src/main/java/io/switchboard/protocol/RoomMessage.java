package io.switchboard.protocol;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A message published to a room: the {@code message} frame, and what history and catch-up return. */
@RegisterForReflection
public record RoomMessage(String type, String id, String room, String from, String body, long ts)
        implements ServerFrame {

    public RoomMessage(MessageId id, String room, String from, String body, long ts) {
        this("message", id.toString(), room, from, body, ts);
    }

    public MessageId messageId() {
        return MessageId.parse(id);
    }
}
