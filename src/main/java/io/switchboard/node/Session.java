package io.switchboard.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Identity;
import io.switchboard.presence.SessionInfo;
import io.switchboard.protocol.OutgoingFrame;

/** One open connection of a user on this instance. */
public final class Session {

    /** Enough for the seconds a second copy of a direct message can take to arrive, at the rates the limits allow. */
    private static final int RECENT_DIRECTS = 32;

    /** The transport under a session: the WebSocket in production. */
    public interface Outbound {
        /** Queues a text frame; never blocks. */
        void send(OutgoingFrame frame);

        /** Queues a text frame; completes with whether it was written to the open connection. */
        CompletionStage<Boolean> sendConfirmed(OutgoingFrame frame);

        /** Queues a WebSocket ping carrying the sequence number, which the client's pong echoes. */
        void ping(long sequence);

        void close(int code, String reason);

        boolean isOpen();

        /** Whether half the outbound bound is queued and unread: the client has not read what was sent. */
        boolean backlogged();

        /** The thread that owns the connection: a write from it goes straight to the socket. */
        Executor eventLoop();
    }

    private final String id;
    private final Identity identity;
    private final long since;
    private final Outbound outbound;
    private final RateLimiter rateLimiter;
    /** Frames that arrived before the welcome went out; null once it has, so later frames go straight out. */
    private volatile List<Held> beforeWelcome = new ArrayList<>();
    private final AtomicLong pings = new AtomicLong();
    /** What to do once the device answers a ping sent after some frames: proof that it read them. */
    private final List<Proof> awaitingProof = new ArrayList<>(0);
    /** The latest direct message ids written here, allocated with the first one. */
    private String[] recentDirects;
    private int nextDirect;
    /** The outcomes of recent frames sent with a ref, made with the first one. */
    private RecentRefs recentRefs;

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
        if (beforeWelcome != null && holdUntilWelcome(new Held(frame, null))) {
            return;
        }
        outbound.send(frame);
    }

    /** Sends a frame; completes with whether it was written to the open connection (after the welcome, if need be). */
    CompletionStage<Boolean> deliver(OutgoingFrame frame) {
        if (beforeWelcome != null) {
            Held held = new Held(frame, new CompletableFuture<>());
            if (holdUntilWelcome(held)) {
                return held.written;
            }
        }
        return outbound.sendConfirmed(frame);
    }

    private synchronized boolean holdUntilWelcome(Held frame) {
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
        for (Held held : beforeWelcome) {
            if (held.written == null) {
                outbound.send(held.frame);
            } else {
                outbound.sendConfirmed(held.frame).whenComplete((ok, failure) -> held.written.complete(ok == Boolean.TRUE));
            }
        }
        beforeWelcome = null;
    }

    /**
     * Whether the direct message with this id is new to this connection, remembering it: a copy that comes
     * again by another route (a crashed instance's queue taken over, a retry) is not written a second time.
     */
    synchronized boolean firstDelivery(String directId) {
        if (recentDirects == null) {
            recentDirects = new String[RECENT_DIRECTS];
        }
        for (String seen : recentDirects) {
            if (directId.equals(seen)) {
                return false;
            }
        }
        recentDirects[nextDirect] = directId;
        nextDirect = (nextDirect + 1) % RECENT_DIRECTS;
        return true;
    }

    synchronized RecentRefs recentRefs() {
        if (recentRefs == null) {
            recentRefs = new RecentRefs(System::nanoTime);
        }
        return recentRefs;
    }

    /** Pings the device; its pong shows it is alive, and that it read everything sent before. */
    void ping() {
        outbound.ping(pings.incrementAndGet());
    }

    /**
     * Runs {@code taken} once the device answers a ping sent now, after the frames already sent: then it has read
     * them. A device that goes away first never runs it.
     */
    void onceRead(Runnable taken) {
        long sequence = pings.incrementAndGet();
        synchronized (awaitingProof) {
            awaitingProof.add(new Proof(sequence, taken));
        }
        outbound.ping(sequence);
    }

    /** The device answered the ping with this sequence number (and so every one before it). */
    public void ponged(long sequence) {
        List<Proof> proven = new ArrayList<>(0);
        synchronized (awaitingProof) {
            awaitingProof.removeIf(proof -> proof.sequence <= sequence && proven.add(proof));
        }
        proven.forEach(proof -> proof.taken.run());
    }

    public void close(int code, String reason) {
        outbound.close(code, reason);
    }

    RateLimiter.Verdict takeFrameToken() {
        return rateLimiter.take();
    }

    /** Takes tokens beyond the frame's own for a reply that cost more (it may leave the bucket below empty). */
    void charge(int extraTokens) {
        rateLimiter.charge(extraTokens);
    }

    boolean isOpen() {
        return outbound.isOpen();
    }

    boolean backlogged() {
        return outbound.backlogged();
    }

    Executor eventLoop() {
        return outbound.eventLoop();
    }

    SessionInfo info(String serverId) {
        return new SessionInfo(id, user(), serverId, since);
    }

    /** A frame waiting for the welcome; {@code written} is null when nobody waits for its write. */
    private record Held(OutgoingFrame frame, CompletableFuture<Boolean> written) {
    }

    private record Proof(long sequence, Runnable taken) {
    }
}
