package io.switchboard.chat;

import java.util.Optional;

import io.switchboard.identity.Identity;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.protocol.RoomType;
import io.switchboard.room.RoomInfo;

/** Who may do what in a room (PROTOCOL §3); every check throws {@code forbidden} when the answer is no. */
final class RoomAccess {

    private RoomAccess() {
    }

    /**
     * Whether the user's invitation decides the join: a private room that exists and the user is not in. Only then
     * is it looked up (and {@code invited} of the checks below matters).
     */
    static boolean needsInvitation(Identity who, String room, Optional<RoomInfo> info) {
        return RoomType.of(room) == RoomType.PRIVATE && info.isPresent() && !info.get().hasMember(who.userId());
    }

    /** May the user join? For a private room that does not exist yet the joiner becomes its creator. */
    static void checkJoin(Identity who, String room, Optional<RoomInfo> info, boolean invited) {
        if (RoomType.of(room) == RoomType.TEAM) {
            checkTeam(who, room);
        }
        if (needsInvitation(who, room, info) && !invited) {
            throw ProtocolException.forbidden("private room: you need an invitation");
        }
    }

    /**
     * May the user see the room's history and presence? Exactly those who may join it, so nothing is told about
     * a room to someone who could not be in it.
     */
    static void checkRead(Identity who, String room, Optional<RoomInfo> info, boolean invited) {
        if (RoomType.of(room) == RoomType.PRIVATE && info.isEmpty()) {
            throw ProtocolException.forbidden("private room: you need an invitation");
        }
        checkJoin(who, room, info, invited);
    }

    /** May a member publish? In the global room only administrators do. */
    static void checkPublish(Identity who, String room, boolean member) {
        checkMember(who, room, member);
        if (RoomType.of(room) == RoomType.GLOBAL && !who.admin()) {
            throw ProtocolException.forbidden("only administrators publish to " + room);
        }
    }

    /**
     * Is the user a member, and still allowed to be? A team room's membership lasts only while the user's current
     * identity lists the team: a token that lost the group loses the room at once.
     */
    static void checkMember(Identity who, String room, boolean member) {
        if (!member) {
            throw ProtocolException.forbidden("not a member of " + room);
        }
        if (RoomType.of(room) == RoomType.TEAM) {
            checkTeam(who, room);
        }
    }

    /** Whether the identity may still be in a room it is a member of (see {@link #checkMember}). */
    static boolean mayStay(Identity who, String room) {
        return RoomType.of(room) != RoomType.TEAM || who.inTeam(RoomType.teamOf(room));
    }

    private static void checkTeam(Identity who, String room) {
        String team = RoomType.teamOf(room);
        if (!who.inTeam(team)) {
            throw ProtocolException.forbidden("team room: you are not in team " + team);
        }
    }
}
