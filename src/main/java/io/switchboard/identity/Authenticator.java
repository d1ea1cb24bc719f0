package io.switchboard.identity;

import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Establishes an {@link Identity} from a request's credentials; empty means the request is refused (401). */
public interface Authenticator {

    Optional<Identity> authenticate(Credentials credentials);

    /** Whether {@link #authenticate} may wait on I/O (fetching a key set, say): then it runs off the event loop. */
    default boolean mayBlock() {
        return true;
    }

    /** {@link #authenticate} for callers on an event loop: on a worker thread when it may block. */
    default Uni<Optional<Identity>> identify(Credentials credentials) {
        if (!mayBlock()) {
            return Uni.createFrom().item(authenticate(credentials));
        }
        return Uni.createFrom().item(() -> authenticate(credentials)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
