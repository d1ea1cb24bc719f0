package io.switchboard.presence;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One open connection of a user: its id, the instance holding it, and when it opened (epoch millis). The HTTP API
 * names the instance {@code server}, as the protocol's welcome frame does.
 */
@RegisterForReflection
public record SessionInfo(String id, String user, @JsonProperty("server") String instance, long since) {
}
