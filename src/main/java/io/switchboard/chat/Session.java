package io.switchboard.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Identity;
import io.switchboard.presence.SessionInfo;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.OutgoingFrame;

/** One open connection of a user on this instance. */
public final class Session {

    /** Enough for the seconds a second copy of a direct message can take to arrive, at the rates the limits allow. */
    /**
     * Direct message ids a connection remembers: a crashed instance's queue is taken over seconds later, while
     * newer messages keep coming, so a copy may return hundreds of messages after the first.
     */
    private static final int RECENT_DIRECTS = 256;

    /** The transport under a session: the WebSocket in production. */
    public interface Outbound {
        /** Queues a text frame; never blocks. */
        void send(OutgoingFrame frame);

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
    /** What waits for the device to answer a ping sent after some frames: proof that it read them. */
    private final List<Proof> awaitingProof = new ArrayList<>(0);
    /** Guarded by awaitingProof: the proof ping awaiting its pong (0: none); later direct messages ride on the next. */
    private long provingSequence;
    /** Guarded by awaitingProof: when that ping was sent ({@link System#nanoTime()}). */
    private long provingSince;
    /** Guarded by awaitingProof: once closed, nothing more is proven. */
    private boolean closed;
    private final AtomicInteger unprovenDirects = new AtomicInteger();
    /** Rooms with a join in flight here, and the room messages that came meanwhile; null when none. */
    private Map<String, Joining> joining;
    /** The latest direct message ids written here, allocated with the first one. */
    /** 64-bit hashes of the ids, not the ids: 2 KB per connection that gets direct messages, whatever their ids. */
    private long[] recentDirects;
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

    /**
     * Sends a direct message; completes true once the device answers a ping sent after it (it read it), false if
     * the connection closes first. At most one such ping awaits its pong: the direct messages sent meanwhile ride on
     * the next one, sent when it is answered, so a storm of them costs the client one pong per round trip.
     */
    CompletableFuture<Boolean> deliverProven(OutgoingFrame frame) {
        Proof proof = new Proof(new CompletableFuture<>());
        unprovenDirects.incrementAndGet();
        proof.read.whenComplete((read, failure) -> forget(proof));
        if (!outbound.isOpen()) {
            // a connection whose client already started closing would take the bytes and never show them
            proof.read.complete(false);
            return proof.read;
        }
        if (beforeWelcome == null || !holdUntilWelcome(new Held(frame, proof))) {
            outbound.send(frame);
            awaitProofAfterWrite(proof);
        }
        return proof.read;
    }

    /** Direct messages sent here and neither proven nor given up yet. */
    int unprovenDirects() {
        return unprovenDirects.get();
    }

    /** Whether the proof ping sent last has waited longer than this for its pong: the device is not answering. */
    boolean proofOverdue(long nanos) {
        synchronized (awaitingProof) {
            return provingSequence != 0 && System.nanoTime() - provingSince > nanos;
        }
    }

    /**
     * On the event loop, after the frame's write (made inline there, or queued from this thread before): a ping
     * sent from now on is written after the frame, so its pong proves the frame was read.
     */
    private void awaitProofAfterWrite(Proof proof) {
        outbound.eventLoop().execute(() -> {
            long ping = 0;
            synchronized (awaitingProof) {
                if (closed) {
                    ping = -1;
                } else {
                    proof.needs = pings.get() + 1;
                    awaitingProof.add(proof);
                    if (provingSequence == 0) {
                        ping = provingSequence = pings.incrementAndGet();
                        provingSince = System.nanoTime();
                    }
                }
            }
            if (ping < 0) {
                proof.read.complete(false);
            } else if (ping > 0) {
                outbound.ping(ping);
            }
        });
    }

    private void forget(Proof proof) {
        unprovenDirects.decrementAndGet();
        synchronized (awaitingProof) {
            awaitingProof.remove(proof);
        }
    }

    /**
     * Writes a frame of the room: a room message ({@code id} not null) waits while a join of the room is in flight
     * here, so that it follows the join's answer, and one the answer listed is not sent again.
     */
    synchronized void sendInRoom(String room, MessageId id, OutgoingFrame frame) {
        Joining pending = id == null || joining == null ? null : joining.get(room);
        if (pending == null) {
            send(frame);
        } else if (pending.joins > 0) {
            pending.held.add(new RoomFrame(id, frame));
        } else if (id.compareTo(pending.listedUpTo) > 0) {
            // past what the answer listed: room messages come in id order, none at or below it follows
            forget(room);
            send(frame);
        }
    }

    /** A join of the room is in flight: its room messages wait for {@link #answerJoin}. */
    synchronized void holdRoom(String room) {
        if (joining == null) {
            joining = new HashMap<>(2);
        }
        joining.computeIfAbsent(room, r -> new Joining()).joins++;
    }

    /**
     * Sends a join's answer (the {@code joined} reply or an error, and any messages that go with it), then the
     * room messages that came meanwhile and are newer than {@code newestListed} (the newest message the answer
     * lists; null when it lists none), in the order they came. One the answer listed that was on its way to this
     * connection when the answer went out is dropped when it arrives.
     */
    synchronized void answerJoin(String room, List<OutgoingFrame> answer, MessageId newestListed) {
        answer.forEach(this::send);
        Joining pending = joining == null ? null : joining.get(room);
        if (pending == null) {
            return;
        }
        if (newestListed != null) {
            pending.held.removeIf(message -> message.id.compareTo(newestListed) <= 0);
            if (pending.listedUpTo == null || newestListed.compareTo(pending.listedUpTo) > 0) {
                pending.listedUpTo = newestListed;
            }
        }
        if (--pending.joins > 0) {
            return;
        }
        pending.held.forEach(message -> send(message.frame));
        if (pending.listedUpTo == null || !pending.held.isEmpty()) {
            forget(room); // nothing listed, or a newer message went out already
        } else {
            pending.held.clear();
        }
    }

    private void forget(String room) {
        joining.remove(room);
        if (joining.isEmpty()) {
            joining = null;
        }
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
            outbound.send(held.frame);
            if (held.proof != null) {
                awaitProofAfterWrite(held.proof);
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
            recentDirects = new long[RECENT_DIRECTS];
        }
        long hash = fnv1a64(directId);
        for (long seen : recentDirects) {
            if (seen == hash) {
                return false;
            }
        }
        recentDirects[nextDirect] = hash;
        nextDirect = (nextDirect + 1) % RECENT_DIRECTS;
        return true;
    }

    /** FNV-1a, 64 bits: two ids of a connection share one with odds of about 2^-56. 0 marks an empty slot. */
    private static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash == 0 ? 1 : hash;
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
        Proof proof = new Proof(new CompletableFuture<>());
        proof.read.thenAccept(read -> {
            if (read) {
                taken.run();
            }
        });
        long sequence = pings.incrementAndGet();
        synchronized (awaitingProof) {
            if (closed) {
                return;
            }
            proof.needs = sequence;
            awaitingProof.add(proof);
        }
        outbound.ping(sequence);
    }

    /** The device answered the ping with this sequence number (and so every one before it). */
    public void ponged(long sequence) {
        List<Proof> proven = new ArrayList<>(0);
        long next = 0;
        synchronized (awaitingProof) {
            awaitingProof.removeIf(proof -> proof.needs <= sequence && proven.add(proof));
            if (provingSequence != 0 && sequence >= provingSequence) {
                // what rode meanwhile goes on the next proof ping
                provingSequence = awaitingProof.isEmpty() ? 0 : pings.incrementAndGet();
                provingSince = System.nanoTime();
                next = provingSequence;
            }
        }
        if (next != 0) {
            outbound.ping(next);
        }
        proven.forEach(proof -> proof.read.complete(true));
    }

    /** The connection closed: what it did not prove it read, it never will. */
    void closed() {
        List<Proof> lost;
        synchronized (awaitingProof) {
            closed = true;
            lost = List.copyOf(awaitingProof);
            awaitingProof.clear();
        }
        lost.forEach(proof -> proof.read.complete(false));
    }

    public void close(int code, String reason) {
        outbound.close(code, reason);
    }

    RateLimiter.Verdict takeFrameToken() {
        return rateLimiter.take();
    }

    /**
     * The server did not read this connection for {@code nanos} while its messages waited for answers (a slow
     * backend): what the client sent meanwhile arrives at once afterwards, and is not taken for a burst.
     */
    public void heldBack(long nanos) {
        rateLimiter.credit(nanos);
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

    SessionInfo info(String instanceId) {
        return new SessionInfo(id, user(), instanceId, since);
    }

    /** A frame waiting for the welcome; {@code proof} is null when nobody waits for it to be read. */
    private record Held(OutgoingFrame frame, Proof proof) {
    }

    /** Completes true once a pong answers a ping of sequence {@code needs} or later (set when it starts waiting). */
    private static final class Proof {
        final CompletableFuture<Boolean> read;
        long needs;

        Proof(CompletableFuture<Boolean> read) {
            this.read = read;
        }
    }

    private record RoomFrame(MessageId id, OutgoingFrame frame) {
    }

    /** Joins of one room in flight and what they hold back; once answered, the newest message they listed. */
    private static final class Joining {
        int joins;
        final List<RoomFrame> held = new ArrayList<>();
        MessageId listedUpTo;
    }
}
