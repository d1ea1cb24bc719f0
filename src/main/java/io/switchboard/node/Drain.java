package io.switchboard.node;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.config.ServerId;
import io.switchboard.presence.PresenceStore;

/**
 * Graceful drain on SIGTERM: readiness goes DOWN and upgrades are refused, this instance's sessions leave
 * presence (so its users show offline at once, not after a heartbeat TTL), then every connection is closed with
 * 1012 after the frames already queued for it, so clients reconnect to another instance.
 */
@ApplicationScoped
public class Drain {

    static final int CLOSE_RESTART = 1012;
    private static final Duration PRESENCE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(Drain.class);

    private final LocalHub hub;
    private final PresenceStore presence;
    private final String serverId;
    private volatile boolean draining;

    Drain(LocalHub hub, PresenceStore presence, ServerId serverId) {
        this.hub = hub;
        this.presence = presence;
        this.serverId = serverId.id();
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Runs first thing on SIGTERM: Quarkus fires this before its graceful HTTP shutdown, which would otherwise
     * wait the whole timeout for the open WebSocket upgrades, and before the engine leaves the cluster.
     */
    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) throws InterruptedException {
        draining = true;
        List<Session> sessions = hub.allSessions();
        LOG.infof("draining: closing %d connections", sessions.size());
        if (sessions.isEmpty()) {
            return;
        }
        try {
            Uni.join().all(sessions.stream().map(s -> presence.remove(s.info(serverId))).toList())
                    .andCollectFailures().await().atMost(PRESENCE_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("draining: sessions not all removed from presence (%s); the heartbeat purge will", e.getMessage());
        }
        sessions.forEach(s -> s.close(CLOSE_RESTART, "server shutting down, reconnect"));
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        while (!hub.allSessions().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
