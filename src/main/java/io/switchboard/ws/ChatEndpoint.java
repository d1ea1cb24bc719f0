package io.switchboard.ws;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Identity;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.chat.ChatService;
import io.switchboard.chat.Session;
import io.switchboard.protocol.CloseCodes;
import io.switchboard.ws.transport.InboundGuard;
import io.switchboard.ws.transport.InboundGuards;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;

import java.io.IOException;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;

/**
 * {@code /ws}: translates WebSocket callbacks into {@link ChatService} calls. websockets-next picks the thread by the
 * method's signature: the callbacks that return {@link Uni} run on the connection's event loop and never block it,
 * and frames of one connection are handled in order; the {@code @OnError} handlers that return {@code void} only
 * log, and run on a worker thread.
 */
@WebSocket(path = ChatEndpoint.PATH)
public class ChatEndpoint {

    public static final String PATH = "/ws";

    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class);
    private static final TypedKey<Session> SESSION = new TypedKey<>("switchboard.session");
    private static final TypedKey<Long> EXPIRY_TIMER = TypedKey.forLong("switchboard.expiry-timer");
    private static final TypedKey<InboundGuard> GUARD = new TypedKey<>("switchboard.inbound-guard");

    private final ChatService chat;
    private final SwitchboardConfig.Limits limits;
    private final Vertx vertx;
    private final ChatMetrics metrics;
    private final InboundGuards guards;

    ChatEndpoint(ChatService chat, SwitchboardConfig config, Vertx vertx, ChatMetrics metrics, InboundGuards guards) {
        this.guards = guards;
        this.metrics = metrics;
        this.chat = chat;
        this.limits = config.limits();
        this.vertx = vertx;
    }

    @OnOpen
    Uni<Void> open(WebSocketConnection connection) {
        Identity identity = connection.userData().get(UpgradeAuthentication.IDENTITY);
        WebSocketOutbound outbound = new WebSocketOutbound(connection, limits);
        Session session = new Session(connection.id(), identity, System.currentTimeMillis(), outbound, limits);
        connection.userData().put(SESSION, session);
        InboundGuard guard = guards.opened(outbound.pipeline());
        connection.userData().put(GUARD, guard);
        if (guard != null) {
            guard.onHeldBack(session::heldBack);
        }
        closeWhenCredentialsExpire(connection, identity);
        return chat.open(session);
    }

    /** A token that expires while connected ends the connection (1008); the client reconnects with a new one. */
    private void closeWhenCredentialsExpire(WebSocketConnection connection, Identity identity) {
        if (identity.expiresAt() == null) {
            return;
        }
        long delay = Math.max(1, identity.expiresAt().toEpochMilli() - System.currentTimeMillis());
        long timer = vertx.setTimer(delay, id -> connection.close(new CloseReason(CloseCodes.POLICY, "token expired"))
                .subscribe().with(ok -> LOG.debugf("connection %s closed: its token expired", connection.id()),
                        failure -> LOG.debugf("closing %s for its expired token failed: %s", connection.id(),
                                failure.getMessage())));
        connection.userData().put(EXPIRY_TIMER, timer);
    }

    /**
     * Once its work has ended (answered, or past the reply bound and finished since) the message no longer counts
     * against the connection's {@link InboundGuard}: a client cannot pile up work on a slow backend beyond it.
     */
    @OnTextMessage
    Uni<Void> message(WebSocketConnection connection, String text) {
        return chat.handle(connection.userData().get(SESSION), text, () -> answered(connection));
    }

    /** The answer to the server's ping ({@link io.switchboard.chat.Pings}): its payload is the ping's sequence number. */
    @OnPongMessage
    Uni<Void> pong(WebSocketConnection connection, Buffer data) {
        Session session = connection.userData().get(SESSION);
        if (session != null && data.length() == Long.BYTES) {
            session.ponged(data.getLong(0));
        }
        return Uni.createFrom().voidItem();
    }

    /** Every frame is JSON text (PROTOCOL §1): a binary frame is refused like any other malformed frame. */
    @OnBinaryMessage
    Uni<Void> binary(WebSocketConnection connection, Buffer ignored) {
        return chat.refuseBinary(connection.userData().get(SESSION)).onTermination().invoke(() -> answered(connection));
    }

    private static void answered(WebSocketConnection connection) {
        InboundGuard guard = connection.userData().get(GUARD);
        if (guard != null) {
            guard.answered();
        }
    }

    @OnClose
    Uni<Void> close(WebSocketConnection connection) {
        CloseReason reason = connection.closeReason();
        metrics.closed(reason == null ? CloseReason.ABNORMAL.getCode() : reason.getCode());
        Long expiryTimer = connection.userData().get(EXPIRY_TIMER);
        if (expiryTimer != null) {
            vertx.cancelTimer(expiryTimer);
        }
        Session session = connection.userData().get(SESSION);
        return session == null ? Uni.createFrom().voidItem() : chat.close(session);
    }

    /**
     * A broken frame, text that is not UTF-8, or a flood: the connection's {@link InboundGuard} (or Netty's UTF-8
     * validator) already sent the close frame naming it and closed the socket.
     */
    @OnError
    void corruptFrame(WebSocketConnection connection, CorruptedWebSocketFrameException failure) {
        LOG.debugf("connection %s sent a broken frame: %s", connection.id(), failure.getMessage());
    }

    /**
     * Vert.x reports a message over {@code max-message-size} (one frame, or frames adding up to more) as an
     * IllegalStateException from its frame aggregator and keeps the connection open; PROTOCOL §5 closes it with
     * 1009. Any other IllegalStateException is a failure of the server's own: logged, and closed with 1011, so the
     * client reconnects instead of waiting for answers, and is not told its message was too large.
     */
    @OnError
    Uni<Void> illegalState(WebSocketConnection connection, IllegalStateException failure) {
        CloseReason reason = closeFor(failure);
        if (reason.getCode() == CloseCodes.TOO_BIG) {
            LOG.debugf("connection %s sent too large a message: %s", connection.id(), failure.getMessage());
        } else {
            LOG.warnf(failure, "connection %s failed", connection.id());
        }
        return connection.isClosed() ? Uni.createFrom().voidItem() : connection.close(reason);
    }

    /**
     * Vert.x's frame aggregator, and nothing else, says a message would "overflow max message size" ({@code
     * FrameTooLargeTest} holds it to the Vert.x in use).
     */
    static CloseReason closeFor(IllegalStateException failure) {
        String message = failure.getMessage();
        return message != null && message.contains("overflow max message size")
                ? new CloseReason(CloseCodes.TOO_BIG, "message too large")
                : new CloseReason(CloseCodes.INTERNAL_ERROR, "internal error");
    }

    /** A client that went away without a close frame (a phone losing its network): routine, the close follows. */
    @OnError
    void clientGone(WebSocketConnection connection, HttpClosedException failure) {
        LOG.debugf("connection %s closed by the network: %s", connection.id(), failure.getMessage());
    }

    /** A reset or broken pipe from the client's side: routine too, and not worth a stack trace. */
    @OnError
    void networkFailure(WebSocketConnection connection, IOException failure) {
        LOG.debugf("connection %s lost: %s", connection.id(), failure.getMessage());
    }

    @OnError
    void otherFailure(WebSocketConnection connection, Throwable failure) {
        LOG.warnf(failure, "connection %s failed", connection.id());
    }
}
