package io.switchboard.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.InstanceId;
import io.switchboard.health.ClusterStateLost;
import io.switchboard.presence.PresenceStore;
import io.switchboard.protocol.RoomType;
import io.switchboard.protocol.ServerFrame;
import io.switchboard.room.RoomRegistry;

/**
 * After the shared state lost this instance, puts back what it alone still knows: each live session in presence,
 * each local user's memberships in the registry, and every room subscription. A private room comes back as this
 * instance knew it (owner and invitations, see {@link KnownRooms}) before its members are put back in it; a room
 * of that name that someone else created meanwhile is not theirs, so they leave it (told with {@code left}), as
 * they do a private room this instance knew nothing of that nobody else put back. Room history that was lost
 * stays lost; clients learn it from {@code complete:false} when they {@code join} with {@code since}.
 */
@ApplicationScoped
class Reregistration {

    private static final Logger LOG = Logger.getLogger(Reregistration.class);

    private final LocalHub hub;
    private final PresenceStore presence;
    private final RoomRegistry registry;
    private final RoomSubscriptions subscriptions;
    private final KnownRooms known;
    private final LocalDelivery local;
    private final String instanceId;

    Reregistration(LocalHub hub, PresenceStore presence, RoomRegistry registry, RoomSubscriptions subscriptions,
            KnownRooms known, LocalDelivery local, InstanceId instanceId) {
        this.hub = hub;
        this.presence = presence;
        this.registry = registry;
        this.subscriptions = subscriptions;
        this.known = known;
        this.local = local;
        this.instanceId = instanceId.id();
    }

    void onStateLost(@ObservesAsync ClusterStateLost lost) {
        List<Uni<Void>> work = new ArrayList<>();
        for (Session session : hub.allSessions()) {
            work.add(presence.add(session.info(instanceId)));
        }
        membersByRoom().forEach((room, users) -> work.add(restore(room, users)));
        subscriptions.resubscribeAll();
        if (!work.isEmpty()) {
            Uni.join().all(work).andCollectFailures().subscribe().with(
                    ok -> LOG.infof("registered %d sessions and their rooms again", hub.allSessions().size()),
                    failure -> LOG.errorf("registering again failed: %s", failure.getMessage()));
        }
    }

    private Map<String, Set<String>> membersByRoom() {
        Map<String, Set<String>> byRoom = new HashMap<>();
        hub.memberships().forEach((user, rooms) -> rooms.stream()
                .filter(room -> RoomType.of(room) != RoomType.GLOBAL) // implied, never stored
                .forEach(room -> byRoom.computeIfAbsent(room, r -> new HashSet<>()).add(user)));
        return byRoom;
    }

    private Uni<Void> restore(String room, Set<String> users) {
        Optional<KnownRooms.Known> privateRoom = RoomType.of(room) == RoomType.PRIVATE ? known.of(room)
                : Optional.empty();
        if (privateRoom.isEmpty()) {
            return addAll(room, users);
        }
        KnownRooms.Known was = privateRoom.get();
        return registry.restore(room, was.owner(), was.invited()).chain(owner -> {
            if (owner.equals(was.owner())) {
                return addAll(room, users);
            }
            LOG.warnf("private room %s was created again by %s before it was restored: its members here leave it",
                    room, owner);
            users.forEach(user -> leave(room, user));
            return Uni.createFrom().voidItem();
        });
    }

    /** Puts the memberships back; a private room that is not there (any more) is left instead. */
    private Uni<Void> addAll(String room, Set<String> users) {
        List<Uni<Void>> adds = users.stream()
                .map(user -> registry.addMember(room, user, RoomRegistry.RoomQuota.NONE).invoke(joining -> {
                    if (joining == RoomRegistry.Joining.NO_SUCH_ROOM) {
                        leave(room, user);
                    }
                }).replaceWithVoid())
                .toList();
        return Uni.join().all(adds).andCollectFailures().replaceWithVoid();
    }

    private void leave(String room, String user) {
        subscriptions.remove(room, user);
        local.toUser(user, new ServerFrame.Left(null, room), null);
    }
}
