package io.switchboard.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.switchboard.protocol.Ids;

/**
 * Token mode: a JWT from {@code Authorization: Bearer} or, for browsers that cannot set headers on an upgrade,
 * the {@code access_token} query parameter, verified by SmallRye JWT (key, issuer, expiry and clock skew from
 * the {@code mp.jwt.verify.*} settings). {@code sub} is the user, {@code groups} the teams.
 */
@ApplicationScoped
@Typed(TokenAuthenticator.class)
public class TokenAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(TokenAuthenticator.class);
    private static final String BEARER = "Bearer ";

    private final JWTParser parser;

    TokenAuthenticator(JWTParser parser) {
        this.parser = parser;
    }

    @Override
    public Optional<Identity> authenticate(Credentials credentials) {
        String token = token(credentials);
        if (token == null) {
            return Optional.empty();
        }
        try {
            JsonWebToken jwt = parser.parse(token);
            String user = jwt.getSubject();
            if (!Ids.isUserId(user)) {
                return Optional.empty();
            }
            Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
            Instant expiresAt = jwt.getExpirationTime() > 0 ? Instant.ofEpochSecond(jwt.getExpirationTime()) : null;
            return Optional.of(new Identity(user, groups, groups.contains(Identity.ADMIN_GROUP), expiresAt));
        } catch (ParseException e) {
            LOG.debugf("token refused: %s", e.getMessage());
            return Optional.empty();
        }
    }

    private static String token(Credentials credentials) {
        String header = credentials.authorization();
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return header.substring(BEARER.length()).trim();
        }
        return credentials.param("access_token");
    }
}
