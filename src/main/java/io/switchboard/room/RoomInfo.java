package io.switchboard.room;

import java.util.Set;

import io.switchboard.protocol.RoomType;

/** A room as the registry knows it; its invitations are looked up one at a time ({@link RoomRegistry#isInvited}). */
public record RoomInfo(String room, String owner, Set<String> members) {

    public RoomInfo {
        members = Set.copyOf(members);
    }

    public RoomType type() {
        return RoomType.of(room);
    }

    public boolean hasMember(String user) {
        return members.contains(user);
    }
}
