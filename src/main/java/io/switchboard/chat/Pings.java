package io.switchboard.chat;

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
        LocalHub.onTheirLoops(hub.allSessions(), Session::ping);
    }
}
