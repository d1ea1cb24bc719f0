package io.switchboard.node;

import io.switchboard.identity.Identity;
import io.switchboard.presence.SessionInfo;

/** One open connection of a user on this instance. */
public final class Session {

    /** The transport under a session: the WebSocket in production. */
    public interface Outbound {
        /** Queues a text frame; never blocks. */
        void send(String text);

        void close(int code, String reason);

        boolean isOpen();
    }

    private final String id;
    private final Identity identity;
    private final long since;
    private final Outbound outbound;

    public Session(String id, Identity identity, long since, Outbound outbound) {
        this.id = id;
        this.identity = identity;
        this.since = since;
        this.outbound = outbound;
    }

    public String id() {
        return id;
    }

    public Identity identity() {
        return identity;
    }

    public String user() {
        return identity.userId();
    }

    public void send(String text) {
        outbound.send(text);
    }

    public void close(int code, String reason) {
        outbound.close(code, reason);
    }

    boolean isOpen() {
        return outbound.isOpen();
    }

    SessionInfo info(String serverId) {
        return new SessionInfo(id, user(), serverId, since);
    }
}
