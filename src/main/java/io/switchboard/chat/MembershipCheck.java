package io.switchboard.chat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.protocol.RoomType;
import io.switchboard.room.RoomRegistry;

/**
 * Whether a user connected here is still a member of a room, as the shared registry says: a leave or a kick made
 * on another instance counts here even if its news never arrived. The local index answers "no" at once; a "yes"
 * is confirmed by the registry (one look-up) and trusted for {@link #CONFIRMED_FOR}, so a user publishing many
 * messages costs at most one look-up per room and interval. A room the registry does not have at all (Redis lost
 * its data, and this instance has not put it back yet) is {@code unavailable}: the frame was not accepted, and a
 * retry a moment later is.
 */
@ApplicationScoped
class MembershipCheck {

    /** How long a confirmation stands: a membership ended elsewhere is refused here at most this late. */
    static final Duration CONFIRMED_FOR = Duration.ofSeconds(1);
    /** Beyond this many confirmations the cache starts over rather than grow (one per user and room in use). */
    private static final int MAX_CONFIRMED = 100_000;

    private final LocalHub hub;
    private final RoomRegistry registry;
    private final Map<String, Long> confirmedUntil = new ConcurrentHashMap<>();

    MembershipCheck(LocalHub hub, RoomRegistry registry) {
        this.hub = hub;
        this.registry = registry;
    }

    Uni<Boolean> isMember(String user, String room) {
        if (!hub.isMember(user, room)) {
            return Uni.createFrom().item(false);
        }
        if (RoomType.of(room) == RoomType.GLOBAL) {
            return Uni.createFrom().item(true); // everyone connected is in it, without being stored
        }
        String key = user + '\n' + room;
        Long until = confirmedUntil.get(key);
        long now = System.nanoTime();
        if (until != null && until - now > 0) {
            return Uni.createFrom().item(true);
        }
        return registry.membership(room, user).map(membership -> {
            if (membership == RoomRegistry.Membership.NO_ROOM || membership == RoomRegistry.Membership.RESTORING) {
                throw new ProtocolException(ErrorCode.UNAVAILABLE, room + " is being restored; retry");
            }
            if (membership == RoomRegistry.Membership.NOT_MEMBER) {
                confirmedUntil.remove(key);
                return false;
            }
            if (confirmedUntil.size() >= MAX_CONFIRMED) {
                confirmedUntil.clear();
            }
            confirmedUntil.put(key, now + CONFIRMED_FOR.toNanos());
            return true;
        });
    }

    /** Drops the confirmations that ran out (called now and then). */
    void sweep() {
        long now = System.nanoTime();
        confirmedUntil.values().removeIf(until -> until - now <= 0);
    }
}
