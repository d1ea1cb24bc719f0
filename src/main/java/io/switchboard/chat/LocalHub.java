package io.switchboard.chat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.OutgoingFrame;
import io.switchboard.protocol.RoomType;

/**
 * This instance's connections, by user and by room. A room's entry lists the local users who are its members,
 * so delivering a room message touches only those users' connections, never every open connection.
 */
@ApplicationScoped
public class LocalHub {

    private final Map<String, LocalUser> users = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> roomMembers = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<CompletableFuture<Void>> emptyWaiters = new CopyOnWriteArrayList<>();

    LocalHub(ChatMetrics metrics) {
        metrics.gauge("switchboard.connections", "Open WebSocket connections on this instance", connections::get);
        metrics.gauge("switchboard.users", "Users with a connection on this instance", users::size);
        metrics.gauge("switchboard.rooms.local", "Rooms with a member connected to this instance", roomMembers::size);
    }

    void addSession(Session session) {
        users.compute(session.user(), (u, local) -> {
            LocalUser target = local == null ? new LocalUser() : local;
            target.sessions.add(session);
            connections.incrementAndGet();
            return target;
        });
    }

    /**
     * Removes a session. When it was the user's last one here, the user leaves every local room index and the
     * user's rooms are returned (their subscriptions may have to end); otherwise the list is empty.
     */
    List<String> removeSession(Session session) {
        List<String> left = new ArrayList<>();
        users.computeIfPresent(session.user(), (u, local) -> {
            if (local.sessions.remove(session)) {
                connections.decrementAndGet();
            }
            if (!local.sessions.isEmpty()) {
                return local;
            }
            for (String room : local.rooms) {
                removeFromRoom(room, u);
                left.add(room);
            }
            return null;
        });
        if (connections.get() == 0) {
            emptyWaiters.forEach(waiter -> waiter.complete(null));
        }
        return left;
    }

    /**
     * Indexes a membership if the user has sessions here; true when this call added it. Only
     * {@link RoomSubscriptions} changes memberships, so the room's subscription follows.
     */
    boolean addMembership(String room, String user) {
        boolean[] added = { false };
        users.computeIfPresent(user, (u, local) -> {
            if (local.enter(room)) {
                added[0] = true;
                roomMembers.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(u);
            }
            return local;
        });
        return added[0];
    }

    /** Drops a membership from the index (see {@link #addMembership}). */
    void removeMembership(String room, String user) {
        users.computeIfPresent(user, (u, local) -> {
            if (local.leave(room)) {
                removeFromRoom(room, u);
            }
            return local;
        });
    }

    /** Whether a user connected here is a member of the room: then this instance must hear the room. */
    boolean hasLocalMembers(String room) {
        return roomMembers.containsKey(room);
    }

    private void removeFromRoom(String room, String user) {
        roomMembers.computeIfPresent(room, (r, members) -> {
            members.remove(user);
            return members.isEmpty() ? null : members;
        });
    }

    /**
     * Writes one encoded frame to every local connection of the room's members, except those of {@code exceptUser};
     * returns how many connections got it. Every delivery goes through the loop's FIFO task queue
     * ({@link #onTheirLoops}), even from that loop's own thread, so frames reach each connection in the order this
     * method was called, which is the room's order. A room message ({@code id} not null) waits behind a join of the
     * room the connection has in flight ({@link Session#sendInRoom}).
     */
    int sendToRoom(String room, OutgoingFrame frame, String exceptUser, MessageId id) {
        Set<String> members = roomMembers.get(room);
        if (members == null) {
            return 0;
        }
        List<Session> reached = new ArrayList<>();
        // a team room reaches only connections whose identity lists the team: not a device whose token lost it
        String team = RoomType.of(room) == RoomType.TEAM ? RoomType.teamOf(room) : null;
        for (String user : members) {
            LocalUser local = user.equals(exceptUser) ? null : users.get(user);
            if (local != null) {
                local.sessions.stream().filter(s -> team == null || s.identity().inTeam(team)).forEach(reached::add);
            }
        }
        onTheirLoops(reached, session -> session.sendInRoom(room, id, frame));
        return reached.size();
    }

    /**
     * Runs the action for each session on the event loop that owns it, one task per loop for all of its own: a
     * write from another thread would be handed over one by one (a task and a wake-up per connection, the largest
     * cost after the write itself in the profile).
     */
    static void onTheirLoops(List<Session> sessions, Consumer<Session> action) {
        Map<Executor, List<Session>> byLoop = new IdentityHashMap<>();
        sessions.forEach(session -> byLoop.computeIfAbsent(session.eventLoop(), loop -> new ArrayList<>()).add(session));
        byLoop.forEach((loop, own) -> loop.execute(() -> own.forEach(action)));
    }

    /** Writes one encoded frame to every local connection of the user but {@code exceptSession}; returns how many. */
    int sendToUser(String user, OutgoingFrame frame, String exceptSession) {
        LocalUser local = users.get(user);
        if (local == null) {
            return 0;
        }
        int sent = 0;
        for (Session session : local.sessions) {
            if (!session.id().equals(exceptSession)) {
                session.send(frame);
                sent++;
            }
        }
        return sent;
    }

    /** Each local user's rooms. */
    Map<String, Set<String>> memberships() {
        Map<String, Set<String>> byUser = new java.util.HashMap<>();
        users.forEach((user, local) -> byUser.put(user, Set.copyOf(local.rooms)));
        return byUser;
    }

    /** Rooms with a local member. */
    Set<String> localRooms() {
        return Set.copyOf(roomMembers.keySet());
    }

    /** Completes once no connection is left here (a drain waits for it). */
    CompletableFuture<Void> whenEmpty() {
        CompletableFuture<Void> emptied = new CompletableFuture<>();
        emptyWaiters.add(emptied);
        if (connections.get() == 0) {
            emptied.complete(null);
        }
        return emptied;
    }

    /** Every local session, for a drain. */
    List<Session> allSessions() {
        return users.values().stream().flatMap(local -> local.sessions.stream()).toList();
    }

    List<Session> sessionsOf(String user) {
        LocalUser local = users.get(user);
        return local == null ? List.of() : List.copyOf(local.sessions);
    }

    /** Whether this session of the user is open here. */
    boolean holds(String user, String sessionId) {
        LocalUser local = users.get(user);
        return local != null && local.sessions.stream().anyMatch(session -> session.id().equals(sessionId));
    }

    /** Whether the user, connected here, is a member of the room: memberships of local users are always indexed. */
    boolean isMember(String user, String room) {
        LocalUser local = users.get(user);
        return local != null && local.rooms.contains(room);
    }

    private static final class LocalUser {
        final List<Session> sessions = new CopyOnWriteArrayList<>();
        /**
         * Replaced, never changed in place, and only inside {@code users.compute*} for this user, so changes are
         * serial; read anywhere. An immutable set of a few rooms is a tenth of a concurrent set's heap, and there
         * is one per connected user (a join copies the set: joins are rare next to reads).
         */
        volatile Set<String> rooms = Set.of();

        boolean enter(String room) {
            if (rooms.contains(room)) {
                return false;
            }
            Set<String> next = new HashSet<>(rooms);
            next.add(room);
            rooms = Set.copyOf(next);
            return true;
        }

        boolean leave(String room) {
            if (!rooms.contains(room)) {
                return false;
            }
            Set<String> next = new HashSet<>(rooms);
            next.remove(room);
            rooms = Set.copyOf(next);
            return true;
        }
    }
}
