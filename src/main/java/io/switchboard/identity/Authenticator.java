package io.switchboard.identity;

import java.util.Optional;

/** Establishes an {@link Identity} from a request's credentials; empty means the request is refused (401). */
public interface Authenticator {

    Optional<Identity> authenticate(Credentials credentials);

    /** Whether {@link #authenticate} may wait on I/O (fetching a key set, say): then it runs off the event loop. */
    default boolean mayBlock() {
        return true;
    }
}
