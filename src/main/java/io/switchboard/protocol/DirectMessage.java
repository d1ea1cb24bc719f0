package io.switchboard.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A direct message: the {@code direct} frame; {@code offline} is true only when it waited in the inbox. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DirectMessage(String type, String id, String from, String to, String body, long ts, Boolean offline)
        implements ServerFrame {

    public DirectMessage(String id, String from, String to, String body, long ts) {
        this("direct", id, from, to, body, ts, null);
    }

    /** The same message as delivered from the inbox. */
    public DirectMessage fromInbox() {
        return new DirectMessage(type, id, from, to, body, ts, Boolean.TRUE);
    }
}
