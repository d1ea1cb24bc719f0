package io.switchboard.ws;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Authenticator;
import io.switchboard.identity.Credentials;
import io.switchboard.identity.Identity;
import io.switchboard.chat.Drain;
import io.switchboard.presence.PresenceStore;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Decides before the upgrade, so a refused client never gets a socket: a browser origin not allowed → 403, no
 * identity → 401, a user an administrator barred for a while → 403, a user already holding
 * {@code max-connections-per-user} connections → 429, a draining instance → 503.
 */
@ApplicationScoped
public class UpgradeAuthentication implements HttpUpgradeCheck {

    /** Where the identity waits for {@code @OnOpen}: the upgrade's user data becomes the connection's. */
    static final TypedKey<Identity> IDENTITY = new TypedKey<>("switchboard.identity");

    private final Authenticator authenticator;
    private final PresenceStore presence;
    private final List<String> allowedOrigins;
    private final int maxConnectionsPerUser;
    private final Drain drain;

    UpgradeAuthentication(Authenticator authenticator, PresenceStore presence, SwitchboardConfig config, Drain drain) {
        this.drain = drain;
        this.authenticator = authenticator;
        this.presence = presence;
        this.allowedOrigins = config.auth().allowedOrigins().orElse(List.of());
        this.maxConnectionsPerUser = config.limits().maxConnectionsPerUser();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (drain.isDraining()) {
            return CheckResult.rejectUpgrade(503);
        }
        HttpServerRequest request = context.httpRequest();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !allowedOrigins.isEmpty() && !allowedOrigins.contains(origin)) {
            return CheckResult.rejectUpgrade(403);
        }
        Credentials credentials = Credentials.of(request.query(), request.getHeader(HttpHeaders.AUTHORIZATION));
        // the connection keeps its upgrade's headers for its life (see UpgradeContextRelease); not the token
        request.headers().remove(HttpHeaders.AUTHORIZATION);
        return authenticator.identify(credentials).chain(identity -> identity.isEmpty() ? CheckResult.rejectUpgrade(401)
                : Uni.combine().all().unis(presence.isBarred(identity.get().userId()),
                        presence.sessions(identity.get().userId())).asTuple().chain(barredAndSessions -> {
                    if (barredAndSessions.getItem1()) {
                        return CheckResult.rejectUpgrade(403);
                    }
                    if (barredAndSessions.getItem2().size() >= maxConnectionsPerUser) {
                        return CheckResult.rejectUpgrade(429);
                    }
                    context.userData().put(IDENTITY, identity.get());
                    return CheckResult.permitUpgrade();
                }));
    }
}
