package io.switchboard.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.InstanceId;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.presence.Arrivals;
import io.switchboard.presence.PresenceStore;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.CloseCodes;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.FrameParser;
import io.switchboard.protocol.OutgoingFrame;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.protocol.RoomType;
import io.switchboard.protocol.ServerFrame;

/**
 * Behind the WebSocket endpoint: opens and closes sessions, and hands each client frame, once parsed and within
 * the session's rate, to what answers it ({@link Rooms}, {@link DirectMessaging}), bounding how long its answer
 * may take. It sees the engine only through its interfaces.
 */
@ApplicationScoped
public class ChatService {

    private static final Logger LOG = Logger.getLogger(ChatService.class);

    private final FrameParser parser;
    private final FrameEncoder encoder;
    private final LocalHub hub;
    private final Arrivals arrivals;
    private final PresenceStore presence;
    private final InboxHandout handout;
    private final RoomSubscriptions subscriptions;
    private final Rooms rooms;
    private final DirectMessaging directs;
    private final ChatMetrics metrics;
    private final String instanceId;
    private final Duration backendTimeout;
    private final int maxConnectionsPerUser;
    private final Drain drain;
    private final WrittenSessions written;

    ChatService(FrameParser parser, FrameEncoder encoder, LocalHub hub, Arrivals arrivals, PresenceStore presence,
            InboxHandout handout, RoomSubscriptions subscriptions, Rooms rooms, DirectMessaging directs, ChatMetrics metrics,
            InstanceId instanceId, SwitchboardConfig config, Drain drain, WrittenSessions written) {
        this.written = written;
        this.drain = drain;
        this.metrics = metrics;
        this.parser = parser;
        this.encoder = encoder;
        this.hub = hub;
        this.arrivals = arrivals;
        this.presence = presence;
        this.handout = handout;
        this.subscriptions = subscriptions;
        this.rooms = rooms;
        this.directs = directs;
        this.instanceId = instanceId.id();
        this.backendTimeout = config.timeouts().backend();
        this.maxConnectionsPerUser = config.limits().maxConnectionsPerUser();
    }

    /**
     * Makes a new session reachable (rooms, presence), welcomes it, and hands it the direct messages that waited
     * in the inbox. The session is in the local hub before it is present anywhere, so whatever is routed to it
     * meanwhile waits for the welcome instead of missing it. A backend failure closes the connection (1011) so
     * the client retries elsewhere.
     */
    public Uni<Void> open(Session session) {
        String user = session.user();
        hub.addSession(session);
        written.registering(session.info(instanceId));
        return arrivals.arrive(session.info(instanceId), RoomType.GLOBAL_ROOM, maxConnectionsPerUser)
                .invoke(() -> written.settled(session.id(), true))
                .invoke(arrival -> {
                    if (!arrival.admitted()) {
                        // another upgrade of the same user passed the upgrade check at the same moment
                        throw new TooManyConnections();
                    }
                })
                .chain(arrival -> rooms.stillAllowed(session, arrival.rooms())
                        .call(allowed -> subscriptions.addAll(user, allowed))
                        .invoke(rooms::recall)
                        .invoke(allowed -> {
                            session.welcome(encoder.encode(new ServerFrame.Welcome(user, session.id(), instanceId,
                                    allowed)));
                            handout.handOut(session, arrival.waiting());
                        }))
                .replaceWithVoid()
                .ifNoItem().after(backendTimeout).fail()
                .onFailure().invoke(() -> written.settled(session.id(), false))
                // a connection that closed while it was being opened must not stay indexed
                .call(() -> session.isOpen() ? Uni.createFrom().voidItem() : close(session))
                .onFailure(TooManyConnections.class).invoke(() -> session.close(CloseCodes.POLICY,
                        "too many connections for this user (switchboard.limits.max-connections-per-user)"))
                .onFailure(failure -> !(failure instanceof TooManyConnections)).invoke(failure -> {
                    LOG.errorf(failure, "session %s of %s could not be opened", session.id(), user);
                    session.close(CloseCodes.UNAVAILABLE, "backend unavailable, try again");
                })
                .onFailure().recoverWithNull();
    }

    public Uni<Void> close(Session session) {
        session.closed();
        subscriptions.removeSession(session);
        if (drain.isDraining()) {
            // the drain took every session out of presence before closing them: 10,000 closes asking again at
            // once would overflow the Redis client's wait queue for nothing
            return Uni.createFrom().voidItem();
        }
        return presence.remove(session.info(instanceId))
                .invoke(() -> written.removed(session.id(), backendTimeout.toNanos()))
                .onFailure().invoke(failure -> LOG.warnf("session %s not removed from presence: %s", session.id(),
                        failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /**
     * Answers one text frame; every failure becomes an {@code error} frame and the connection stays open, but
     * for a client that keeps flooding after {@code rate_limited}: it is closed with 1008. PROTOCOL §5 wants an
     * answer within {@code timeouts.backend} (5 s): work that takes longer is answered {@code timeout} and goes on,
     * since it may have reached a backend already; a frame sent again with its ref learns how it ended
     * ({@link RecentRefs}). {@code done} runs once the frame's work has ended: past the bound, after its answer.
     */
    public Uni<Void> handle(Session session, String text, Runnable done) {
        // frames read before a close (the client's, or ours to a slow consumer) would be answered to nobody
        if (!session.isOpen() || !admitted(session, text)) {
            done.run();
            return Uni.createFrom().voidItem();
        }
        ClientFrame frame;
        try {
            frame = parser.parse(text);
        } catch (ProtocolException e) {
            metrics.frameIn("invalid");
            reply(session, error(e, e.ref()));
            done.run();
            return Uni.createFrom().voidItem();
        }
        metrics.frameIn(frame.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        if (frame instanceof ClientFrame.Join join) {
            return join(session, join).onTermination().invoke(done);
        }
        CompletableFuture<ServerFrame> outcome = RecentRefs.remembers(frame)
                ? session.recentRefs().outcome(frame, () -> start(session, frame))
                : start(session, frame);
        outcome.whenComplete((answer, failure) -> done.run());
        // not from the future itself: a Uni made from a CompletableFuture cancels it at the bound, the work with it
        return Uni.createFrom().<ServerFrame>emitter(answer -> outcome.whenComplete((item, failure) -> {
            if (failure == null) {
                answer.complete(item);
            } else {
                answer.fail(failure);
            }
        }))
                .ifNoItem().after(backendTimeout).recoverWithItem(() -> notKnownYet(frame.ref()))
                .onFailure().recoverWithItem(failure -> error(failure, frame.ref()))
                .invoke(answer -> reply(session, answer))
                .replaceWithVoid();
    }

    /**
     * The room's messages that reach the connection while its join is in flight wait for the answer, and those
     * it lists are not sent again: {@code joined} comes first, then the room's messages in id order.
     */
    private Uni<Void> join(Session session, ClientFrame.Join join) {
        session.holdRoom(join.room());
        return Uni.createFrom().deferred(() -> rooms.join(session, join.ref(), join.room(), join.since()))
                .ifNoItem().after(backendTimeout).fail()
                .onItemOrFailure().invoke((joined, failure) -> session.answerJoin(join.room(),
                        List.of(OutgoingFrame.of(encoded(failure == null ? joined.frame() : error(failure, join.ref())))),
                        failure == null ? joined.newestListed() : null))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    private CompletableFuture<ServerFrame> start(Session session, ClientFrame frame) {
        return Uni.createFrom().deferred(() -> dispatch(session, frame)).subscribeAsCompletionStage();
    }

    private ServerFrame notKnownYet(String ref) {
        return new ServerFrame.Error(ref, ErrorCode.TIMEOUT, "no outcome within " + backendTimeout.toSeconds()
                + " s, a backend is slow: the frame may still take effect; send it again with the same ref to learn"
                + " what became of it");
    }

    /** Binary frames count against the rate like any frame, and are answered {@code bad_request}. */
    public Uni<Void> refuseBinary(Session session) {
        metrics.frameIn("binary");
        if (admitted(session, null)) {
            reply(session, new ServerFrame.Error(null, ErrorCode.BAD_REQUEST, "frames are JSON text, not binary"));
        }
        return Uni.createFrom().voidItem();
    }

    /** Takes a token from the session's bucket; a refused frame is answered here, a flood ends the connection. */
    private boolean admitted(Session session, String text) {
        switch (session.takeFrameToken()) {
            case REFUSED -> {
                reply(session, new ServerFrame.Error(text == null ? null : parser.refOf(text), ErrorCode.RATE_LIMITED,
                        "too many frames; slow down"));
                return false;
            }
            case FLOODING -> {
                session.close(CloseCodes.POLICY, "flooding after rate_limited");
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    private Uni<ServerFrame> dispatch(Session s, ClientFrame frame) {
        String ref = frame.ref();
        if (frame instanceof ClientFrame.Publish p) {
            return rooms.publish(s, p.room(), p.body()).invoke(metrics::published)
                    .map(m -> new ServerFrame.Ack(ref, m.id(), null));
        } else if (frame instanceof ClientFrame.Direct d) {
            return directs.send(s, d.to(), d.body()).map(sent -> new ServerFrame.Ack(ref, sent.id(), sent.how()));
        } else if (frame instanceof ClientFrame.Leave l) {
            return widen(rooms.leave(s, ref, l.room()));
        } else if (frame instanceof ClientFrame.Typing t) {
            return rooms.typing(s, t.room()).map(ignored -> ackIfRef(ref));
        } else if (frame instanceof ClientFrame.History h) {
            return widen(rooms.history(s, ref, h.room(), h.before(), h.limit()));
        } else if (frame instanceof ClientFrame.Presence p) {
            return widen(rooms.presence(s, ref, p.room()));
        } else if (frame instanceof ClientFrame.Invite i) {
            return rooms.invite(s, i.room(), i.user()).map(ignored -> ackIfRef(ref));
        } else if (frame instanceof ClientFrame.Ping) {
            return Uni.createFrom().item(new ServerFrame.Pong(ref));
        }
        throw new IllegalStateException("no handler for " + frame.getClass().getSimpleName());
    }

    /** The user holds the most connections allowed already: the arrival added nothing. */
    private static final class TooManyConnections extends RuntimeException {
        TooManyConnections() {
            super("too many connections", null, false, false);
        }
    }

    /** Frames with no reply of their own are acked only when the client asked, by sending a {@code ref}. */
    private static ServerFrame ackIfRef(String ref) {
        return ref == null ? null : new ServerFrame.Ack(ref, null, null);
    }

    private static Uni<ServerFrame> widen(Uni<? extends ServerFrame> reply) {
        return reply.map(frame -> frame);
    }

    private static ServerFrame error(Throwable failure, String ref) {
        if (failure instanceof ProtocolException e) {
            return new ServerFrame.Error(ref, e.code(), e.getMessage());
        }
        LOG.warnf("frame refused, backend unavailable: %s", String.valueOf(failure));
        return new ServerFrame.Error(ref, ErrorCode.UNAVAILABLE, "a backend is unavailable, the frame was not accepted; retry");
    }

    private void reply(Session session, ServerFrame frame) {
        if (frame != null) {
            session.send(encoded(frame));
        }
    }

    /** A reply to one connection, counted. */
    private String encoded(ServerFrame frame) {
        if (frame instanceof ServerFrame.Error e) {
            metrics.error(e.code());
        }
        metrics.framesOut(frame.type(), 1);
        return encoder.encode(frame);
    }
}
