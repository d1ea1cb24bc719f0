package io.switchboard.identity;

import java.time.Instant;
import java.util.Set;

/**
 * Who is on the other end of a connection or an API call, as established by the {@link Authenticator};
 * {@code expiresAt} is when the credentials stop being valid (null: they do not expire, as in dev mode).
 */
public record Identity(String userId, Set<String> teams, boolean admin, Instant expiresAt) {

    /** The author of messages posted through the HTTP API. */
    public static final String SYSTEM_USER = "system";

    /** The group that makes a user an administrator. */
    public static final String ADMIN_GROUP = "admin";

    public Identity {
        teams = Set.copyOf(teams);
    }

    public Identity(String userId, Set<String> teams, boolean admin) {
        this(userId, teams, admin, null);
    }

    public boolean inTeam(String team) {
        return teams.contains(team);
    }
}
