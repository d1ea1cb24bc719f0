package io.switchboard.engine.memory;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.smallrye.mutiny.Uni;
import io.switchboard.presence.PresenceStore;
import io.switchboard.presence.SessionInfo;

/** Sessions of this process only: with one instance, every session is local. */
public class MemoryPresenceStore implements PresenceStore {

    private final Map<String, Map<String, SessionInfo>> sessionsByUser = new ConcurrentHashMap<>();
    /** User → until when (System.nanoTime()); a bar that ran out goes when it is next asked about. */
    private final Map<String, Long> barredUntil = new ConcurrentHashMap<>();

    @Override
    public Uni<Void> bar(String user, Duration span) {
        if (span.isZero()) {
            barredUntil.remove(user);
        } else {
            barredUntil.put(user, System.nanoTime() + span.toNanos());
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Boolean> isBarred(String user) {
        Long until = barredUntil.get(user);
        if (until != null && until - System.nanoTime() <= 0) {
            barredUntil.remove(user, until);
            until = null;
        }
        return Uni.createFrom().item(until != null);
    }

    @Override
    public Uni<Void> add(SessionInfo session) {
        sessionsByUser.computeIfAbsent(session.user(), u -> new ConcurrentHashMap<>()).put(session.id(), session);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> remove(SessionInfo session) {
        sessionsByUser.computeIfPresent(session.user(), (u, sessions) -> {
            sessions.remove(session.id());
            return sessions.isEmpty() ? null : sessions;
        });
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<List<SessionInfo>> sessions(String user) {
        return Uni.createFrom().item(sorted(user));
    }

    @Override
    public Uni<Map<String, List<SessionInfo>>> sessionsOf(Collection<String> users) {
        Map<String, List<SessionInfo>> sessions = new HashMap<>();
        users.forEach(user -> sessions.put(user, sorted(user)));
        return Uni.createFrom().item(sessions);
    }

    private List<SessionInfo> sorted(String user) {
        return sessionsByUser.getOrDefault(user, Map.of()).values().stream()
                .sorted(Comparator.comparingLong(SessionInfo::since).thenComparing(SessionInfo::id))
                .toList();
    }

    /** Adds the session unless its user holds {@code maxConnections} already, in one step. */
    boolean addWithin(SessionInfo session, int maxConnections) {
        boolean[] added = { false };
        sessionsByUser.compute(session.user(), (u, sessions) -> {
            Map<String, SessionInfo> target = sessions == null ? new ConcurrentHashMap<>() : sessions;
            if (target.size() < maxConnections) {
                target.put(session.id(), session);
                added[0] = true;
            }
            return target.isEmpty() ? null : target;
        });
        return added[0];
    }

    @Override
    public Uni<OnlineUsers> onlineUsers(int atMost) {
        List<String> users = sessionsByUser.keySet().stream().sorted().limit(atMost).toList();
        return Uni.createFrom().item(new OnlineUsers(sessionsByUser.size(), users));
    }

    @Override
    public Uni<Set<String>> online(Collection<String> users) {
        return Uni.createFrom().item(users.stream()
                .filter(sessionsByUser::containsKey)
                .collect(Collectors.toUnmodifiableSet()));
    }
}
