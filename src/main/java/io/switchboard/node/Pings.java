package io.switchboard.node;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.switchboard.config.SwitchboardConfig;
import io.vertx.core.Vertx;

/**
 * Pings every connection each {@code liveness.ping-interval}, so a device that stopped answering is noticed: the
 * transport closes a connection it has heard nothing from for {@code liveness.ping-timeout}
 * ({@link io.switchboard.ws.transport.TransportLimits}), and its user shows offline. One timer for the instance, one
 * task per event loop, not a timer per connection.
 */
@ApplicationScoped
class Pings {

    private final LocalHub hub;
    private final Vertx vertx;
    private final long intervalMillis;

    Pings(LocalHub hub, Vertx vertx, SwitchboardConfig config) {
        this.hub = hub;
        this.vertx = vertx;
        this.intervalMillis = config.liveness().pingInterval().toMillis();
    }

    void onStart(@Observes StartupEvent started) {
        vertx.setPeriodic(intervalMillis, id -> pingAll());
    }

    private void pingAll() {
        Map<Executor, List<Session>> byLoop = new IdentityHashMap<>();
        for (Session session : hub.allSessions()) {
            byLoop.computeIfAbsent(session.eventLoop(), loop -> new ArrayList<>()).add(session);
        }
        byLoop.forEach((loop, sessions) -> loop.execute(() -> sessions.forEach(Session::ping)));
    }
}
