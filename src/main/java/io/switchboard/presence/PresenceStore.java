package io.switchboard.presence;

import java.time.Duration;
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

    /**
     * Bars the user from connecting for {@code span} (an administrator's kick with a ban); a zero span lifts a
     * bar. Kept in the store shared by every instance, and forgotten when it runs out.
     */
    Uni<Void> bar(String user, Duration span);

    /** Whether the user is barred from connecting now. */
    Uni<Boolean> isBarred(String user);

    /** How many users have an open session, and up to {@code atMost} of them, sorted. */
    Uni<OnlineUsers> onlineUsers(int atMost);

    record OnlineUsers(int count, List<String> some) {
    }
}
