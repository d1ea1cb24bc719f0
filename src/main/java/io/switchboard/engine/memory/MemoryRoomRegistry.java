package io.switchboard.engine.memory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.RoomType;
import io.switchboard.room.RoomInfo;
import io.switchboard.room.RoomRegistry;

/** Rooms in this process's memory; each room's state changes under its own lock. */
public class MemoryRoomRegistry implements RoomRegistry {

    /** Sorted, so the room list is paged by id; every change to it is made under this registry's lock. */
    private final NavigableMap<String, Room> rooms = new ConcurrentSkipListMap<>();
    private final Map<String, Set<String>> roomsByUser = new ConcurrentHashMap<>();
    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final Map<String, CreationWindow> created = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private long lastSweep;

    MemoryRoomRegistry() {
        this(System::currentTimeMillis);
    }

    MemoryRoomRegistry(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Uni<Creation> create(String room, String owner, RoomQuota quota) {
        Creation[] outcome = { Creation.EXISTS };
        rooms.computeIfAbsent(room, r -> {
            if (!withinQuota(owner, quota)) {
                outcome[0] = Creation.OVER_QUOTA;
                return null;
            }
            outcome[0] = Creation.CREATED;
            return new Room(owner);
        });
        return Uni.createFrom().item(outcome[0]);
    }

    @Override
    public Uni<Optional<RoomInfo>> find(String room) {
        Room state = rooms.get(room);
        return Uni.createFrom().item(state == null ? Optional.empty() : Optional.of(state.info(room)));
    }

    /** Memberships change one at a time, so a user's room count cannot be passed by joins racing each other. */
    @Override
    public synchronized Uni<Joining> addMember(String room, String user, RoomQuota quota) {
        Room state = rooms.get(room);
        Set<String> joined = roomsByUser.getOrDefault(user, Set.of());
        if (state != null && state.members.contains(user)) {
            return Uni.createFrom().item(Joining.ALREADY_MEMBER);
        }
        if (state == null && RoomType.of(room) == RoomType.PRIVATE) {
            return Uni.createFrom().item(Joining.NO_SUCH_ROOM);
        }
        if (joined.size() >= quota.maxRooms()) {
            return Uni.createFrom().item(Joining.TOO_MANY_ROOMS);
        }
        if (state == null && !withinQuota(user, quota)) {
            return Uni.createFrom().item(Joining.OVER_QUOTA);
        }
        Room target = state == null ? rooms.computeIfAbsent(room, r -> new Room(user)) : state;
        target.members.add(user);
        roomsByUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(room);
        return Uni.createFrom().item(Joining.ADDED);
    }

    @Override
    public Uni<Membership> membership(String room, String user) {
        Room state = rooms.get(room);
        return Uni.createFrom().item(state == null ? Membership.NO_ROOM
                : state.members.contains(user) ? Membership.MEMBER : Membership.NOT_MEMBER);
    }

    @Override
    public synchronized Uni<String> restore(String room, String owner, Set<String> invited) {
        Room state = rooms.computeIfAbsent(room, r -> new Room(owner));
        if (state.owner.equals(owner)) {
            synchronized (state) {
                state.invited.addAll(invited);
            }
        }
        return Uni.createFrom().item(state.owner);
    }

    /**
     * Counts a room the user creates; false, counting nothing, once the window's quota is used up. Windows that
     * ended are swept now and then, so no user who stopped creating rooms is kept.
     */
    private boolean withinQuota(String user, RoomQuota quota) {
        boolean[] within = { false };
        long now = clock.getAsLong();
        if (now - lastSweep >= SWEEP_EVERY_MILLIS) {
            lastSweep = now;
            created.values().removeIf(window -> now - window.startedAt >= quota.window().toMillis());
        }
        created.compute(user, (u, window) -> {
            CreationWindow current = window == null || now - window.startedAt >= quota.window().toMillis()
                    ? new CreationWindow(now, 0)
                    : window;
            within[0] = current.count < quota.createdPerWindow();
            return within[0] ? new CreationWindow(current.startedAt, current.count + 1) : current;
        });
        return within[0];
    }

    private record CreationWindow(long startedAt, int count) {
    }

    @Override
    public synchronized Uni<Boolean> removeMember(String room, String user) {
        boolean[] removed = { false };
        rooms.computeIfPresent(room, (r, state) -> {
            removed[0] = state.members.remove(user);
            roomsByUser.computeIfPresent(user, (u, joined) -> {
                joined.remove(room);
                return joined.isEmpty() ? null : joined;
            });
            if (!state.members.isEmpty()) {
                return state;
            }
            // a room that is gone costs its creator nothing any more
            created.computeIfPresent(state.owner, (owner, window) -> window.count <= 1 ? null
                    : new CreationWindow(window.startedAt, window.count - 1));
            return null;
        });
        return Uni.createFrom().item(removed[0]);
    }

    /** A room that is gone (with its last member) has nothing to remember: the invitation is not kept. */
    @Override
    public Uni<Boolean> invite(String room, String user, int maxInvitations) {
        Room state = rooms.get(room);
        if (state == null) {
            return Uni.createFrom().item(true);
        }
        synchronized (state) {
            if (!state.invited.contains(user) && state.invited.size() >= maxInvitations) {
                return Uni.createFrom().item(false);
            }
            state.invited.add(user);
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<Boolean> isInvited(String room, String user) {
        Room state = rooms.get(room);
        if (state == null) {
            return Uni.createFrom().item(false);
        }
        synchronized (state) {
            return Uni.createFrom().item(state.invited.contains(user));
        }
    }

    @Override
    public Uni<Set<String>> invitations(String room) {
        Room state = rooms.get(room);
        if (state == null) {
            return Uni.createFrom().item(Set.of());
        }
        synchronized (state) {
            return Uni.createFrom().item(Set.copyOf(state.invited));
        }
    }

    @Override
    public Uni<List<String>> roomsOf(String user) {
        Set<String> joined = roomsByUser.getOrDefault(user, Set.of());
        return Uni.createFrom().item(joined.stream().sorted().toList());
    }

    @Override
    public Uni<List<RoomInfo>> list(String after, int limit) {
        NavigableMap<String, Room> page = after == null ? rooms : rooms.tailMap(after, false);
        return Uni.createFrom().item(page.entrySet().stream()
                .limit(limit)
                .map(e -> e.getValue().info(e.getKey()))
                .toList());
    }

    private static final class Room {
        final String owner;
        final Set<String> members = ConcurrentHashMap.newKeySet();
        /** Guarded by the room itself. */
        final Set<String> invited = new HashSet<>();

        Room(String owner) {
            this.owner = owner;
        }

        RoomInfo info(String room) {
            return new RoomInfo(room, owner, members);
        }
    }
}
