package io.switchboard.bus;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.switchboard.protocol.ServerFrame;

/** Room news that is delivered but never stored; every member's connections but the user's own get it. */
@RegisterForReflection
public record RoomEvent(Kind kind, String room, String user) {

    public enum Kind {
        TYPING,
        MEMBER_JOINED,
        MEMBER_LEFT
    }

    public ServerFrame frame() {
        return switch (kind) {
            case TYPING -> new ServerFrame.Typing(room, user);
            case MEMBER_JOINED -> new ServerFrame.MemberJoined(room, user);
            case MEMBER_LEFT -> new ServerFrame.MemberLeft(room, user);
        };
    }
}
