package io.switchboard.presence;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.smallrye.mutiny.Uni;

/** Which sessions each user has open, on which instance: presence and the routing table for direct messages. */
public interface PresenceStore {

    Uni<Void> add(SessionInfo session);

    Uni<Void> remove(SessionInfo session);

    /** The user's open sessions, oldest first. */
    Uni<List<SessionInfo>> sessions(String user);

    /** The open sessions of each of {@code users} (oldest first, none for a user offline), in one lookup. */
    Uni<Map<String, List<SessionInfo>>> sessionsOf(Collection<String> users);

    /** Those of {@code users} with at least one open session. */
    Uni<Set<String>> online(Collection<String> users);

    /** How many users have an open session, and up to {@code atMost} of them, sorted. */
    Uni<OnlineUsers> onlineUsers(int atMost);

    record OnlineUsers(int count, List<String> some) {
    }
}
