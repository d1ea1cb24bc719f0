package io.switchboard.room;

import java.util.Set;

import io.switchboard.protocol.RoomType;

/** A room as the registry knows it. */
public record RoomInfo(String room, String owner, Set<String> members, Set<String> invited) {

    public RoomInfo {
        members = Set.copyOf(members);
        invited = Set.copyOf(invited);
    }

    public RoomType type() {
        return RoomType.of(room);
    }

    public boolean hasMember(String user) {
        return members.contains(user);
    }

    public boolean isInvited(String user) {
        return invited.contains(user);
    }
}
