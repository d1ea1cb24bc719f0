package io.switchboard.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.switchboard.bus.RoomBus;
import io.switchboard.config.SwitchboardConfig;
import io.vertx.core.Vertx;

/**
 * The one owner of this instance's room subscriptions (centrifuge's addSubscription / removeSubscription): every
 * change of local membership goes through it, and it keeps <em>subscribed ⇔ the room has local members</em>.
 * Per room, one room bus command is in flight at a time, and when it completes the room is compared with its
 * members again, so no interleaving of joins and leaves from several event loops can leave a room with local
 * members unsubscribed (or the other way round). A subscribe that fails fails the joins waiting for it, which
 * then undo their local membership; members that stay (another device's membership, a re-registration) get it
 * retried after {@code timeouts.resubscribe-after}.
 */
@ApplicationScoped
class RoomSubscriptions {

    private static final Logger LOG = Logger.getLogger(RoomSubscriptions.class);

    private static final Duration FOLLOW_FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration FOLLOW_LAST_RETRY = Duration.ofSeconds(1);

    private final LocalHub hub;
    private final RoomBus bus;
    private final RoomDelivery delivery;
    private final Vertx vertx;
    private final Duration commandTimeout;
    private final long retryMillis;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    RoomSubscriptions(LocalHub hub, RoomBus bus, RoomDelivery delivery, Vertx vertx, SwitchboardConfig config) {
        this.hub = hub;
        this.bus = bus;
        this.delivery = delivery;
        this.vertx = vertx;
        this.commandTimeout = config.timeouts().backend();
        this.retryMillis = config.timeouts().resubscribeAfter().toMillis();
    }

    /**
     * Makes a user connected here a local member of the room; completes, with whether this call added the
     * membership, once this instance hears the room. If the subscription fails, the membership this call added is
     * taken back and the failure is passed on, so a failed join leaves nothing behind.
     */
    Uni<Boolean> add(String room, String user) {
        boolean added = hub.addMembership(room, user);
        return subscribed(room).onFailure().invoke(() -> {
            if (added) {
                remove(room, user);
            }
        }).replaceWith(added);
    }

    /**
     * A membership that exists whatever this instance manages (another device joined): indexed at once, and
     * subscribed as soon as the room bus lets it, retrying until then. Completes once the room is heard here (or
     * the membership ended meanwhile); fails when it was not after retrying for about the backend timeout.
     */
    Uni<Void> follow(String room, String user) {
        hub.addMembership(room, user);
        reconcile(room); // at once, whoever waits for it
        return subscribed(room).onFailure().retry().withBackOff(FOLLOW_FIRST_RETRY, FOLLOW_LAST_RETRY)
                .expireIn(commandTimeout.toMillis());
    }

    /**
     * Indexes the rooms a new connection's user is in and completes once all are heard here; on failure the
     * caller closes the connection, which ends these memberships with it.
     */
    Uni<Void> addAll(String user, Collection<String> rooms) {
        List<Uni<Void>> subscriptions = new ArrayList<>();
        for (String room : rooms) {
            hub.addMembership(room, user);
            subscriptions.add(subscribed(room));
        }
        return subscriptions.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(subscriptions).andFailFast().replaceWithVoid();
    }

    void remove(String room, String user) {
        hub.removeMembership(room, user);
        reconcile(room);
    }

    /** A session ended: when it was its user's last one here, the user's rooms lose a local member. */
    void removeSession(Session session) {
        hub.removeSession(session).forEach(this::reconcile);
    }

    /** The room bus may have forgotten this instance's subscriptions (Redis lost its state): send them all again. */
    void resubscribeAll() {
        for (String room : hub.localRooms()) {
            Room state = room(room);
            synchronized (state) {
                state.subscribed = null;
            }
            reconcile(room);
        }
    }

    private Uni<Void> subscribed(String room) {
        return Uni.createFrom().emitter(waiter -> {
            while (true) {
                Room state = room(room);
                synchronized (state) {
                    if (!state.retired) {
                        state.waiters.add(waiter);
                        break;
                    }
                }
            }
            reconcile(room);
        });
    }

    private Room room(String room) {
        return rooms.computeIfAbsent(room, Room::new);
    }

    /** Sends the command that brings the room's subscription in line with its local members, unless one is out. */
    private void reconcile(String room) {
        Room state;
        boolean subscribe;
        List<UniEmitter<? super Void>> satisfied;
        while (true) {
            state = room(room);
            synchronized (state) {
                if (state.retired) {
                    continue;
                }
                if (state.inFlight) {
                    return; // its completion reconciles again
                }
                subscribe = hub.hasLocalMembers(room);
                if (state.subscribed != null && state.subscribed == subscribe) {
                    satisfied = state.takeWaiters();
                    if (!subscribe) {
                        state.retired = true;
                        rooms.remove(room, state);
                    }
                    break;
                }
                state.inFlight = true;
                satisfied = null;
                break;
            }
        }
        if (satisfied != null) {
            // outside the lock: a waiter may join again at once, on this very thread
            satisfied.forEach(waiter -> waiter.complete(null));
            return;
        }
        Room sent = state;
        boolean subscribing = subscribe;
        if (subscribing) {
            delivery.starting(room);
        }
        (subscribing ? bus.subscribe(room) : bus.unsubscribe(room))
                .ifNoItem().after(commandTimeout).fail()
                .subscribe().with(ok -> completed(sent, subscribing, null), failure -> completed(sent, subscribing, failure));
    }

    private void completed(Room state, boolean subscribed, Throwable failure) {
        List<UniEmitter<? super Void>> failed = List.of();
        synchronized (state) {
            state.inFlight = false;
            // a command that failed or timed out may still have reached the room bus: the state is unknown
            state.subscribed = failure == null ? Boolean.valueOf(subscribed) : null;
            if (failure != null && subscribed) {
                failed = state.takeWaiters();
            }
        }
        failed.forEach(waiter -> waiter.fail(failure));
        if (failure == null) {
            if (subscribed) {
                delivery.started(state.name);
            } else {
                delivery.stopped(state.name);
            }
            reconcile(state.name);
            return;
        }
        LOG.warnf("%s room %s failed (%s); trying again in %d ms for its members still here",
                subscribed ? "subscribing to" : "unsubscribing from", state.name, failure.getMessage(), retryMillis);
        vertx.setTimer(retryMillis, id -> reconcile(state.name));
    }

    /** One room's subscription as this instance last saw it, and the joins waiting for it. */
    private static final class Room {
        final String name;
        /** Null until known, or after a command whose outcome is not. */
        Boolean subscribed;
        boolean inFlight;
        /** Removed from the map: a newcomer makes a fresh one. */
        boolean retired;
        final List<UniEmitter<? super Void>> waiters = new ArrayList<>();

        Room(String name) {
            this.name = name;
        }

        /** The joins waiting so far, to be answered once the lock is released. */
        List<UniEmitter<? super Void>> takeWaiters() {
            List<UniEmitter<? super Void>> taken = List.copyOf(waiters);
            waiters.clear();
            return taken;
        }
    }
}
