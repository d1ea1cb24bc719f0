package io.switchboard.chat;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.concurrency.FewAtATime;
import io.switchboard.presence.PresenceStore;
import io.vertx.core.Vertx;

/**
 * Every {@code cluster.reconcile-interval}, this instance sets shared state straight with what it holds: the
 * sessions it wrote into presence whose connections are gone are removed (so nobody shows online forever, nor
 * counts against the connection limit), and what it knows of its users' private rooms follows the rooms they are
 * in (see {@link KnownRooms}). One pass per interval, a few operations at a time.
 */
@ApplicationScoped
class Reconciliation {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class);

    private final LocalHub hub;
    private final WrittenSessions written;
    private final PresenceStore presence;
    private final KnownRooms known;
    private final Rooms rooms;
    private final MembershipCheck memberships;
    private final Vertx vertx;
    private final long intervalMillis;
    private final long graceNanos;
    private volatile boolean passing;

    Reconciliation(LocalHub hub, WrittenSessions written, PresenceStore presence, KnownRooms known, Rooms rooms,
            MembershipCheck memberships, Vertx vertx, SwitchboardConfig config) {
        this.hub = hub;
        this.written = written;
        this.presence = presence;
        this.known = known;
        this.rooms = rooms;
        this.memberships = memberships;
        this.vertx = vertx;
        this.intervalMillis = config.cluster().reconcileInterval().toMillis();
        this.graceNanos = config.timeouts().backend().toNanos();
    }

    void onStart(@Observes StartupEvent started) {
        vertx.setPeriodic(intervalMillis, id -> pass());
    }

    private void pass() {
        memberships.sweep();
        known.keepOnly(hub::hasLocalMembers);
        rooms.recall(hub.localRooms());
        if (passing) {
            return; // the last pass is still removing: one at a time
        }
        List<WrittenSessions.Written> gone = written.all().stream()
                .filter(session -> !hub.holds(session.info.user(), session.info.id())).toList();
        if (gone.isEmpty()) {
            return;
        }
        passing = true;
        FewAtATime.each(gone, session -> presence.remove(session.info)
                .invoke(() -> written.removed(session.info.id(), graceNanos)))
                .onTermination().invoke(() -> passing = false)
                .subscribe().with(
                        failed -> LOG.debugf("presence reconciled: %d sessions of gone connections removed, %d failed",
                                gone.size() - failed, failed),
                        failure -> LOG.warnf("presence not reconciled: %s", failure.getMessage()));
    }
}
