package io.switchboard.identity;

import java.util.Optional;

/** Establishes an {@link Identity} from a request's credentials; empty means the request is refused (401). */
public interface Authenticator {

    Optional<Identity> authenticate(Credentials credentials);
}
