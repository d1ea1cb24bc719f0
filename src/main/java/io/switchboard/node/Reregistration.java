package io.switchboard.node;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.ServerId;
import io.switchboard.presence.ClusterStateLost;
import io.switchboard.presence.PresenceStore;
import io.switchboard.protocol.RoomType;
import io.switchboard.room.RoomRegistry;

/**
 * After the shared state lost this instance, puts back what it alone still knows: each live session in presence,
 * each local user's memberships in the registry, and every room subscription. Room history that was lost stays
 * lost; clients learn it from {@code complete:false} when they {@code join} with {@code since}.
 */
@ApplicationScoped
class Reregistration {

    private static final Logger LOG = Logger.getLogger(Reregistration.class);

    private final LocalHub hub;
    private final PresenceStore presence;
    private final RoomRegistry registry;
    private final RoomSubscriptions subscriptions;
    private final String serverId;

    Reregistration(LocalHub hub, PresenceStore presence, RoomRegistry registry, RoomSubscriptions subscriptions,
            ServerId serverId) {
        this.hub = hub;
        this.presence = presence;
        this.registry = registry;
        this.subscriptions = subscriptions;
        this.serverId = serverId.id();
    }

    void onStateLost(@ObservesAsync ClusterStateLost lost) {
        List<Uni<Void>> work = new ArrayList<>();
        for (Session session : hub.allSessions()) {
            work.add(presence.add(session.info(serverId)));
        }
        hub.memberships().forEach((user, rooms) -> rooms.stream()
                .filter(room -> RoomType.of(room) != RoomType.GLOBAL) // implied, never stored
                .forEach(room -> work.add(registry.addMember(room, user, RoomRegistry.RoomQuota.NONE).replaceWithVoid())));
        subscriptions.resubscribeAll();
        if (!work.isEmpty()) {
            Uni.join().all(work).andCollectFailures().subscribe().with(
                    ok -> LOG.infof("registered %d sessions and their rooms again", hub.allSessions().size()),
                    failure -> LOG.errorf("registering again failed: %s", failure.getMessage()));
        }
    }
}
