package io.switchboard.identity;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import io.switchboard.protocol.Ids;

/**
 * Dev mode: trusts the {@code user_id} query parameter and takes teams from an optional comma-separated
 * {@code groups} parameter, so every feature can be tried from a browser console without tokens.
 */
@ApplicationScoped
@Typed(DevAuthenticator.class)
public class DevAuthenticator implements Authenticator {

    @Override
    public Optional<Identity> authenticate(Credentials credentials) {
        String userId = credentials.param("user_id");
        if (!Ids.isUserId(userId)) {
            return Optional.empty();
        }
        Set<String> groups = groups(credentials.param("groups"));
        return Optional.of(new Identity(userId, groups, groups.contains(Identity.ADMIN_GROUP)));
    }

    /** Reads two query parameters: cheaper than the hop to a worker thread and back. */
    @Override
    public boolean mayBlock() {
        return false;
    }

    private static Set<String> groups(String param) {
        if (param == null) {
            return Set.of();
        }
        return Arrays.stream(param.split(","))
                .map(String::trim)
                .filter(Ids::isUserId)
                .collect(Collectors.toUnmodifiableSet());
    }
}
