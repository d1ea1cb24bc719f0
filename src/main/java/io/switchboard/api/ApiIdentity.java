package io.switchboard.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotAuthorizedException;

import io.smallrye.mutiny.Uni;
import io.switchboard.identity.Authenticator;
import io.switchboard.identity.Credentials;
import io.switchboard.identity.Identity;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** The HTTP API knows its callers the same way {@code /ws} does; no identity answers 401. */
@ApplicationScoped
class ApiIdentity {

    private final Authenticator authenticator;
    private final ApiRateLimit rate;

    ApiIdentity(Authenticator authenticator, ApiRateLimit rate) {
        this.authenticator = authenticator;
        this.rate = rate;
    }

    /**
     * The caller, established off the event loop when verifying it may block; fails with 429 when its address is
     * over the API's rate, with 401 when there is no caller, and with 429 when the caller is over its own rate.
     */
    Uni<Identity> require(HttpServerRequest request) {
        Credentials credentials = Credentials.of(request.query(), request.getHeader(HttpHeaders.AUTHORIZATION));
        SocketAddress client = request.remoteAddress();
        return Uni.createFrom().voidItem()
                .invoke(() -> rate.takeFrom(client == null ? null : client.hostAddress()))
                .chain(() -> authenticator.identify(credentials))
                .map(identity -> identity.orElseThrow(() -> new NotAuthorizedException("Bearer")))
                .invoke(rate::take);
    }
}
