package io.switchboard.room;

import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

/** Rooms and who belongs to them, shared by every instance (the owner and invitations of private rooms too). */
public interface RoomRegistry {

    /** Creates the room with this owner unless it exists; true when this call created it. */
    Uni<Boolean> create(String room, String owner);

    Uni<Optional<RoomInfo>> find(String room);

    /** Makes the user a member, creating the room (owned by the user) if needed; true when not a member before. */
    Uni<Boolean> addMember(String room, String user);

    /** Ends a membership and deletes the room when nobody is left in it; false when the user was not a member. */
    Uni<Boolean> removeMember(String room, String user);

    /** Lets the user join the (private) room. */
    Uni<Void> invite(String room, String user);

    /** The rooms the user is a member of, sorted. */
    Uni<List<String>> roomsOf(String user);

    /** Every room, sorted by id. */
    Uni<List<RoomInfo>> list();
}
