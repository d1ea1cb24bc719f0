package io.switchboard.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.switchboard.config.InstanceId;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.CloseCodes;
import io.switchboard.concurrency.FewAtATime;
import io.switchboard.presence.PresenceStore;

/**
 * Graceful drain on SIGTERM: readiness goes DOWN and upgrades are refused, this instance's sessions leave
 * presence (so its users show offline at once, not after a heartbeat TTL), then every connection is closed with
 * 1012 after the frames already queued for it, so clients reconnect to another instance.
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class);

    private final LocalHub hub;
    private final PresenceStore presence;
    private final String instanceId;
    private final Duration presenceTimeout;
    private final Duration closeTimeout;
    private volatile boolean draining;

    Drain(LocalHub hub, PresenceStore presence, InstanceId instanceId, SwitchboardConfig config) {
        this.hub = hub;
        this.presence = presence;
        this.instanceId = instanceId.id();
        this.presenceTimeout = config.timeouts().drainPresence();
        this.closeTimeout = config.timeouts().drainClose();
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Runs first thing on SIGTERM: Quarkus fires this before its graceful HTTP shutdown, which would otherwise
     * wait the whole timeout for the open WebSocket upgrades, and before the engine leaves the cluster.
     */
    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) throws InterruptedException, ExecutionException {
        draining = true;
        List<Session> sessions = hub.allSessions();
        LOG.infof("draining: closing %d connections", sessions.size());
        if (sessions.isEmpty()) {
            return;
        }
        try {
            long failed = FewAtATime.each(sessions, s -> presence.remove(s.info(instanceId))).await().atMost(presenceTimeout);
            if (failed > 0) {
                LOG.warnf("draining: %d sessions not removed from presence; the heartbeat purge will", failed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("draining: sessions not all removed from presence (%s); the heartbeat purge will", e.getMessage());
        }
        sessions.forEach(s -> s.close(CloseCodes.RESTART, "server shutting down, reconnect"));
        try {
            hub.whenEmpty().get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("draining: %d connections still open after %s; shutting down anyway", hub.allSessions().size(),
                    closeTimeout);
        }
    }
}
