package io.switchboard.presence;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One open connection of a user: its id, the instance holding it, and when it opened (epoch millis). */
@RegisterForReflection
public record SessionInfo(String id, String user, String server, long since) {
}
