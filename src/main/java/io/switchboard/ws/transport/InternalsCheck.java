package io.switchboard.ws.transport;

import java.util.List;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.StartupEvent;

/**
 * Makes, as the application starts and before anything else starts with it, every lookup the transport makes into
 * Quarkus' and Vert.x's internals ({@link Internals}): an upgrade that moved what one reaches for stops the start
 * with a message naming it, where a piece first used at the first connection would let the instance report ready
 * and then fail every connection. The pieces keep their own handles in static finals, made by the same lookups.
 */
@Singleton
class InternalsCheck {

    /** Every lookup into internals, by the piece that makes it. */
    static final List<Supplier<?>> LOOKUPS = List.of(VertxWebSockets::socketAccessor, VertxWebSockets::wrappedSocket,
            HandshakeDeadline::listeningChannel);

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started) {
        resolve(LOOKUPS);
    }

    /** Throws {@link Internals.Moved} for the first lookup that finds nothing. */
    static void resolve(List<Supplier<?>> lookups) {
        lookups.forEach(Supplier::get);
    }
}
