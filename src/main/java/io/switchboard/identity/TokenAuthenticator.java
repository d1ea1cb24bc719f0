package io.switchboard.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.switchboard.protocol.Ids;

/**
 * Token mode: a JWT from {@code Authorization: Bearer} or, for browsers that cannot set headers on an upgrade,
 * the {@code access_token} query parameter, verified by SmallRye JWT (key, issuer, expiry and clock skew from
 * the {@code mp.jwt.verify.*} settings). {@code sub} is the user, {@code groups} (an array of strings, nothing
 * else: see {@link GroupsClaim}) the teams. The clock skew is allowed both ways: a token issued further ahead
 * than it is refused.
 */
@ApplicationScoped
@Typed(TokenAuthenticator.class)
public class TokenAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(TokenAuthenticator.class);
    private static final String BEARER = "Bearer ";

    private final JWTParser parser;
    private final ObjectMapper mapper;
    private final long clockSkewSeconds;

    TokenAuthenticator(JWTParser parser, ObjectMapper mapper,
            @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") long clockSkewSeconds) {
        this.parser = parser;
        this.mapper = mapper;
        this.clockSkewSeconds = clockSkewSeconds;
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
            Optional<Set<String>> claimed = GroupsClaim.of(token, mapper);
            if (!Ids.isUserId(user) || issuedAhead(jwt) || claimed.isEmpty()) {
                return Optional.empty();
            }
            Set<String> groups = claimed.get();
            // the skew SmallRye allowed at the upgrade holds for the connection's life too
            Instant expiresAt = jwt.getExpirationTime() > 0
                    ? Instant.ofEpochSecond(jwt.getExpirationTime() + clockSkewSeconds)
                    : null;
            return Optional.of(new Identity(user, groups, groups.contains(Identity.ADMIN_GROUP), expiresAt));
        } catch (ParseException e) {
            LOG.debugf("token refused: %s (%s)", e.getMessage(), e.getCause());
            return Optional.empty();
        } catch (RuntimeException e) {
            // a signed token whose claims SmallRye cannot map (a groups object, say) is the caller's fault: 401
            LOG.debugf("token refused: unreadable claims (%s)", e.toString());
            return Optional.empty();
        }
    }

    /** A token issued further in the future than the clock skew allows was not issued by a clock we trust. */
    private boolean issuedAhead(JsonWebToken jwt) {
        long issuedAt = jwt.getIssuedAtTime();
        boolean ahead = issuedAt > Instant.now().getEpochSecond() + clockSkewSeconds;
        if (ahead) {
            LOG.debugf("token refused: issued at %d, in the future", issuedAt);
        }
        return ahead;
    }

    private static String token(Credentials credentials) {
        String header = credentials.authorization();
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return header.substring(BEARER.length()).trim();
        }
        return credentials.param("access_token");
    }
}
