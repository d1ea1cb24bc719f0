package io.switchboard.chat;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.protocol.RoomType;
import io.switchboard.room.RoomInfo;

/**
 * What this instance knows of the private rooms its users are in: owner and invitations, as last seen here. After
 * Redis lost its data, they are put back from this, so a private room comes back as its owner's, with its
 * invitations, instead of going to whoever joins it first.
 */
@ApplicationScoped
class KnownRooms {

    private final Map<String, Known> rooms = new ConcurrentHashMap<>();

    record Known(String owner, Set<String> invited) {
    }

    /**
     * Remembers a private room's owner as the registry just showed it; true when the room is new here (or has a new
     * owner), so its invitations are still to be learnt ({@link #invitedAll}).
     */
    boolean learn(RoomInfo info) {
        if (info.type() != RoomType.PRIVATE) {
            return false;
        }
        Known before = rooms.get(info.room());
        if (before != null && before.owner().equals(info.owner())) {
            return false;
        }
        rooms.put(info.room(), new Known(info.owner(), Set.of()));
        return true;
    }

    void invitedAll(String room, Set<String> users) {
        rooms.computeIfPresent(room, (r, known) -> {
            Set<String> invited = new HashSet<>(known.invited());
            invited.addAll(users);
            return new Known(known.owner(), Set.copyOf(invited));
        });
    }

    void created(String room, String owner) {
        rooms.put(room, new Known(owner, Set.of()));
    }

    void invited(String room, String user) {
        rooms.computeIfPresent(room, (r, known) -> {
            Set<String> invited = new HashSet<>(known.invited());
            invited.add(user);
            return new Known(known.owner(), Set.copyOf(invited));
        });
    }

    Optional<Known> of(String room) {
        return Optional.ofNullable(rooms.get(room));
    }

    boolean knows(String room) {
        return rooms.containsKey(room);
    }

    /** Forgets the rooms no user here is in any more. */
    void keepOnly(Predicate<String> local) {
        rooms.keySet().removeIf(local.negate());
    }
}
