package io.switchboard.node;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.switchboard.broker.Broker;
import io.switchboard.broker.Envelope;
import io.switchboard.config.ServerId;
import io.switchboard.presence.PresenceStore;
import io.switchboard.presence.SessionInfo;

/**
 * Reaches every device of a user wherever it is connected: this instance's devices directly, with no hop, and
 * each other instance holding one of them once, through the broker.
 */
@ApplicationScoped
class DeviceRouter {

    private static final Logger LOG = Logger.getLogger(DeviceRouter.class);

    private final PresenceStore presence;
    private final Broker broker;
    private final LocalDelivery local;
    private final String serverId;

    DeviceRouter(PresenceStore presence, Broker broker, LocalDelivery local, ServerId serverId) {
        this.presence = presence;
        this.broker = broker;
        this.local = local;
        this.serverId = serverId.id();
    }

    /** Hands a control message to every instance holding a device of the user; lost instances are skipped. */
    Uni<Void> toDevices(String user, Envelope envelope) {
        return presence.sessions(user).chain(sessions -> {
            List<Uni<Void>> sends = serversOf(sessions).stream()
                    .map(server -> send(server, envelope).onFailure().recoverWithUni(failure -> {
                        LOG.debugf("control message for %s not routed to %s: %s", user, server, failure.getMessage());
                        return Uni.createFrom().voidItem();
                    }))
                    .toList();
            return sends.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sends).andFailFast().replaceWithVoid();
        });
    }

    /** Delivers to one instance: this one directly, others through the broker. */
    Uni<Void> send(String server, Envelope envelope) {
        if (serverId.equals(server)) {
            local.onEnvelope(envelope);
            return Uni.createFrom().voidItem();
        }
        return broker.send(server, envelope);
    }

    boolean isLocal(String server) {
        return serverId.equals(server);
    }

    static Set<String> serversOf(List<SessionInfo> sessions) {
        Set<String> servers = new LinkedHashSet<>();
        sessions.forEach(s -> servers.add(s.server()));
        return servers;
    }
}
