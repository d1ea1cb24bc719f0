package io.switchboard.room;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.mutiny.Uni;

/** Rooms and who belongs to them, shared by every instance (the owner and invitations of private rooms too). */
public interface RoomRegistry {

    /** Creates the room with this owner unless it exists, within the owner's creation quota. */
    Uni<Creation> create(String room, String owner, RoomQuota quota);

    Uni<Optional<RoomInfo>> find(String room);

    /**
     * Makes the user a member, creating the room (owned by the user) if needed, but for a private room, which only
     * {@link #create} makes; the user's room limit and creation quota are checked in the same step, so joins racing
     * each other cannot pass them.
     */
    Uni<Joining> addMember(String room, String user, RoomQuota quota);

    /** Whether the user is a member of the room now, in one look-up. */
    Uni<Membership> membership(String room, String user);

    /**
     * Puts back a room the shared state lost, as an instance still knows it: created with this owner if it does
     * not exist (counted against nobody's quota), and given these invitations if its owner is this one. Answers the
     * owner the room has now: another one means someone else created a room of that name in the meantime.
     */
    Uni<String> restore(String room, String owner, Set<String> invited);

    /**
     * Ends a membership and deletes the room when nobody is left in it, which gives its creation back to its owner's
     * quota; false when the user was not a member.
     */
    Uni<Boolean> removeMember(String room, String user);

    /**
     * Lets the user join the (private) room; false, storing nothing, when the room holds {@code maxInvitations}
     * invitations already (inviting someone invited before is true and counts nothing).
     */
    Uni<Boolean> invite(String room, String user, int maxInvitations);

    /** Whether the user was invited to the room: this one invitation is looked up, not all of the room's. */
    Uni<Boolean> isInvited(String room, String user);

    /** Every invitation of the room (at most {@code limits.invitations-per-room}): what an instance keeps to restore it. */
    Uni<Set<String>> invitations(String room);

    /** The rooms the user is a member of, sorted. */
    Uni<List<String>> roomsOf(String user);

    /** Up to {@code limit} rooms with ids after {@code after} (null: from the first), sorted by id. */
    Uni<List<RoomInfo>> list(String after, int limit);

    enum Creation {
        CREATED,
        EXISTS,
        /**
         * The shared state lost its rooms a moment ago and the instances are still putting back those they know:
         * no private room is made meanwhile, so nobody takes over one that is about to come back.
         */
        RESTORING,
        /** The owner created {@code createdPerWindow} rooms in the last window already. */
        OVER_QUOTA
    }

    enum Membership {
        MEMBER,
        NOT_MEMBER,
        /** The room does not exist: deleted with its last member, or lost with the shared state. */
        NO_ROOM,
        /** Not listed while the instances put back what the shared state lost: not known yet. */
        RESTORING
    }

    enum Joining {
        ADDED,
        ALREADY_MEMBER,
        /** The user is in {@code maxRooms} rooms already. */
        TOO_MANY_ROOMS,
        /** A private room that does not exist (any more): only {@link RoomRegistry#create} makes one. */
        NO_SUCH_ROOM,
        /** The room would be new, and the user created {@code createdPerWindow} rooms in the last window already. */
        OVER_QUOTA
    }

    /**
     * What one user may hold: at most {@code maxRooms} stored memberships, and at most {@code createdPerWindow} new
     * rooms per {@code window}, counted from the first of them.
     */
    record RoomQuota(int maxRooms, int createdPerWindow, Duration window) {

        /** For memberships that exist already and are only being restored. */
        public static final RoomQuota NONE = new RoomQuota(Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofDays(1));
    }
}
