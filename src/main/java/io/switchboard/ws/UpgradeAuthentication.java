package io.switchboard.ws;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.mutiny.Uni;
import io.switchboard.identity.Authenticator;
import io.switchboard.identity.Credentials;
import io.switchboard.identity.Identity;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Decides who is connecting before the upgrade: no identity, no socket (HTTP 401). */
@ApplicationScoped
public class UpgradeAuthentication implements HttpUpgradeCheck {

    /** Where the identity waits for {@code @OnOpen}: the upgrade's user data becomes the connection's. */
    static final TypedKey<Identity> IDENTITY = new TypedKey<>("switchboard.identity");

    private final Authenticator authenticator;

    UpgradeAuthentication(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        Credentials credentials = Credentials.of(request.query(), request.getHeader(HttpHeaders.AUTHORIZATION));
        return authenticator.authenticate(credentials)
                .map(identity -> {
                    context.userData().put(IDENTITY, identity);
                    return CheckResult.permitUpgrade();
                })
                .orElseGet(() -> CheckResult.rejectUpgrade(401));
    }
}
