package io.switchboard.engine.memory;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import io.smallrye.mutiny.Uni;
import io.switchboard.room.RoomInfo;
import io.switchboard.room.RoomRegistry;

/** Rooms in this process's memory; each room's state changes under its own lock. */
@ApplicationScoped
@Typed(MemoryRoomRegistry.class)
public class MemoryRoomRegistry implements RoomRegistry {

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> roomsByUser = new ConcurrentHashMap<>();

    @Override
    public Uni<Boolean> create(String room, String owner) {
        boolean[] created = { false };
        rooms.computeIfAbsent(room, r -> {
            created[0] = true;
            return new Room(owner);
        });
        return Uni.createFrom().item(created[0]);
    }

    @Override
    public Uni<Optional<RoomInfo>> find(String room) {
        Room state = rooms.get(room);
        return Uni.createFrom().item(state == null ? Optional.empty() : Optional.of(state.info(room)));
    }

    @Override
    public Uni<Boolean> addMember(String room, String user) {
        boolean[] added = { false };
        rooms.compute(room, (r, state) -> {
            Room target = state == null ? new Room(user) : state;
            added[0] = target.members.add(user);
            roomsByUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(room);
            return target;
        });
        return Uni.createFrom().item(added[0]);
    }

    @Override
    public Uni<Boolean> removeMember(String room, String user) {
        boolean[] removed = { false };
        rooms.computeIfPresent(room, (r, state) -> {
            removed[0] = state.members.remove(user);
            roomsByUser.computeIfPresent(user, (u, joined) -> {
                joined.remove(room);
                return joined.isEmpty() ? null : joined;
            });
            return state.members.isEmpty() ? null : state;
        });
        return Uni.createFrom().item(removed[0]);
    }

    @Override
    public Uni<Void> invite(String room, String user) {
        Room state = rooms.get(room);
        if (state != null) {
            synchronized (state) {
                state.invited.add(user);
            }
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<List<String>> roomsOf(String user) {
        Set<String> joined = roomsByUser.getOrDefault(user, Set.of());
        return Uni.createFrom().item(joined.stream().sorted().toList());
    }

    @Override
    public Uni<List<RoomInfo>> list() {
        return Uni.createFrom().item(rooms.entrySet().stream()
                .map(e -> e.getValue().info(e.getKey()))
                .sorted(Comparator.comparing(RoomInfo::room))
                .toList());
    }

    private static final class Room {
        final String owner;
        final Set<String> members = ConcurrentHashMap.newKeySet();
        final Set<String> invited = new HashSet<>();

        Room(String owner) {
            this.owner = owner;
        }

        synchronized RoomInfo info(String room) {
            return new RoomInfo(room, owner, members, invited);
        }
    }
}
