package io.switchboard.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Identity;
import io.switchboard.presence.SessionInfo;
import io.switchboard.protocol.OutgoingFrame;

/** One open connection of a user on this instance. */
public final class Session {

    /** The transport under a session: the WebSocket in production. */
    public interface Outbound {
        /** Queues a text frame; never blocks. */
        void send(OutgoingFrame frame);

        void close(int code, String reason);

        boolean isOpen();

        /** The thread that owns the connection: a write from it goes straight to the socket. */
        Executor eventLoop();
    }

    private final String id;
    private final Identity identity;
    private final long since;
    private final Outbound outbound;
    private final RateLimiter rateLimiter;
    /** Frames that arrived before the welcome went out; null once it has, so later frames go straight out. */
    private volatile List<OutgoingFrame> beforeWelcome = new ArrayList<>();

    public Session(String id, Identity identity, long since, Outbound outbound, SwitchboardConfig.Limits limits) {
        this.id = id;
        this.identity = identity;
        this.since = since;
        this.outbound = outbound;
        this.rateLimiter = new RateLimiter(limits, System::nanoTime);
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
        send(OutgoingFrame.of(text));
    }

    public void send(OutgoingFrame frame) {
        if (beforeWelcome != null && holdUntilWelcome(frame)) {
            return;
        }
        outbound.send(frame);
    }

    private synchronized boolean holdUntilWelcome(OutgoingFrame frame) {
        if (beforeWelcome == null) {
            return false;
        }
        beforeWelcome.add(frame);
        return true;
    }

    /**
     * Sends the welcome, then whatever was delivered to this session while it was being set up: the session is
     * reachable before the welcome is written, yet the welcome is always the first frame.
     */
    synchronized void welcome(String welcome) {
        outbound.send(OutgoingFrame.of(welcome));
        beforeWelcome.forEach(outbound::send);
        beforeWelcome = null;
    }

    public void close(int code, String reason) {
        outbound.close(code, reason);
    }

    RateLimiter.Verdict takeFrameToken() {
        return rateLimiter.take();
    }

    boolean isOpen() {
        return outbound.isOpen();
    }

    Executor eventLoop() {
        return outbound.eventLoop();
    }

    SessionInfo info(String serverId) {
        return new SessionInfo(id, user(), serverId, since);
    }
}
