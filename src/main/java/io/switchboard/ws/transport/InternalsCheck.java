package io.switchboard.ws.transport;

import java.lang.invoke.MethodHandles;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;

/**
 * Resolves, as the application starts, every handle the transport takes from Quarkus' and Vert.x's internals
 * ({@link Internals}): each piece that holds some is initialised here, so an upgrade that moved one stops the start
 * with a message naming it, where a class initialised at the first connection would let the instance report ready
 * and then fail every connection.
 */
@Singleton
class InternalsCheck {

    /** Every piece whose static initialisation looks up internals. */
    static final List<Class<?>> PIECES = List.of(VertxWebSockets.class, HandshakeDeadline.class);

    void onStart(@Observes StartupEvent started) {
        resolve(PIECES);
    }

    static void resolve(List<Class<?>> pieces) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Class<?> piece : pieces) {
            try {
                lookup.ensureInitialized(piece);
            } catch (ExceptionInInitializerError failed) {
                if (failed.getCause() instanceof Internals.Moved moved) {
                    throw moved;
                }
                throw failed;
            } catch (IllegalAccessException notOurs) {
                throw new IllegalArgumentException(piece + " is not a piece of the transport", notOurs);
            }
        }
    }
}
