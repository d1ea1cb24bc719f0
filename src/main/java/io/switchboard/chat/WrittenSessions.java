package io.switchboard.chat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.presence.SessionInfo;

/**
 * The sessions this instance may have written into presence and not yet taken out for sure: from the moment an
 * open starts registering one until its removal succeeded after the registration had settled. A failed removal,
 * or an open that timed out while its registration was still under way, leaves the session here, and
 * {@link Reconciliation} removes it from presence again. Kept here rather than found by scanning Redis: one
 * entry per connection, and usually gone with it.
 */
@ApplicationScoped
class WrittenSessions {

    private final Map<String, Written> sessions = new ConcurrentHashMap<>();

    static final class Written {
        final SessionInfo info;
        /** The store answered its registration: nothing of it can land later. */
        volatile boolean answered;
        /** When its registration failed or timed out (System.nanoTime()); 0 while under way or once answered. */
        volatile long failedAt;

        Written(SessionInfo info) {
            this.info = info;
        }

        /**
         * Whether its registration can no longer land: answered, or failed longer than {@code graceNanos} ago (a
         * command that timed out here may still run in Redis a moment later).
         */
        boolean over(long graceNanos, long now) {
            long failed = failedAt;
            return answered || failed != 0 && now - failed >= graceNanos;
        }
    }

    void registering(SessionInfo session) {
        sessions.put(session.id(), new Written(session));
    }

    /** Its registration ended: answered by the store, or failed (timed out included). */
    void settled(String sessionId, boolean answered) {
        Written written = sessions.get(sessionId);
        if (written == null) {
            return;
        }
        if (answered) {
            written.answered = true;
        } else {
            written.failedAt = System.nanoTime();
        }
    }

    /** Its removal succeeded: forgotten, unless its registration may still land after it. */
    void removed(String sessionId, long graceNanos) {
        Written written = sessions.get(sessionId);
        if (written != null && written.over(graceNanos, System.nanoTime())) {
            sessions.remove(sessionId, written);
        }
    }

    Collection<Written> all() {
        return List.copyOf(sessions.values());
    }

    int size() {
        return sessions.size();
    }
}
