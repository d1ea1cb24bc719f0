package io.switchboard.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotAuthorizedException;

import io.switchboard.identity.Authenticator;
import io.switchboard.identity.Credentials;
import io.switchboard.identity.Identity;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** The HTTP API knows its callers the same way {@code /ws} does; no identity answers 401. */
@ApplicationScoped
class ApiIdentity {

    private final Authenticator authenticator;

    ApiIdentity(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    Identity require(HttpServerRequest request) {
        Credentials credentials = Credentials.of(request.query(), request.getHeader(HttpHeaders.AUTHORIZATION));
        return authenticator.authenticate(credentials)
                .orElseThrow(() -> new NotAuthorizedException("Bearer"));
    }
}
