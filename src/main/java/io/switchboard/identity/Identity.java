package io.switchboard.identity;

import java.util.Set;

/** Who is on the other end of a connection or an API call, as established by the {@link Authenticator}. */
public record Identity(String userId, Set<String> teams, boolean admin) {

    /** The author of messages posted through the HTTP API. */
    public static final String SYSTEM_USER = "system";

    public Identity {
        teams = Set.copyOf(teams);
    }

    public boolean inTeam(String team) {
        return teams.contains(team);
    }
}
