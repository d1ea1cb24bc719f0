package io.switchboard.ws;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.switchboard.node.ChatNode;
import io.switchboard.node.Session;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;

import org.jboss.logging.Logger;

/**
 * {@code /ws}: translates WebSocket callbacks into {@link ChatNode} calls. The methods return {@link Uni}, so
 * they run on the connection's event loop and never block it; frames of one connection are handled in order.
 */
@WebSocket(path = "/ws")
public class ChatEndpoint {

    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class);
    static final int CLOSE_TOO_BIG = 1009;
    private static final TypedKey<Session> SESSION = new TypedKey<>("switchboard.session");

    private final ChatNode node;

    ChatEndpoint(ChatNode node) {
        this.node = node;
    }

    @OnOpen
    Uni<Void> open(WebSocketConnection connection) {
        Session session = new Session(connection.id(), connection.userData().get(UpgradeAuthentication.IDENTITY),
                System.currentTimeMillis(), new WebSocketOutbound(connection));
        connection.userData().put(SESSION, session);
        return node.open(session);
    }

    @OnTextMessage
    Uni<Void> message(WebSocketConnection connection, String text) {
        return node.handle(connection.userData().get(SESSION), text);
    }

    @OnClose
    Uni<Void> close(WebSocketConnection connection) {
        Session session = connection.userData().get(SESSION);
        return session == null ? Uni.createFrom().voidItem() : node.close(session);
    }

    /** A single frame over {@code max-frame-size}: Netty names the close status (1009). */
    @OnError
    Uni<Void> corruptFrame(WebSocketConnection connection, CorruptedWebSocketFrameException failure) {
        return connection.close(new CloseReason(failure.closeStatus().code(), "frame too large or malformed"));
    }

    /**
     * Vert.x reports a message whose frames add up to more than {@code max-message-size} as an
     * IllegalStateException and keeps the connection open; PROTOCOL §5 closes it with 1009.
     */
    @OnError
    Uni<Void> failure(WebSocketConnection connection, IllegalStateException failure) {
        if (String.valueOf(failure.getMessage()).contains("max message size")) {
            return connection.close(new CloseReason(CLOSE_TOO_BIG, "message too large"));
        }
        LOG.warnf("connection %s failed: %s", connection.id(), failure.toString());
        return Uni.createFrom().voidItem();
    }

    @OnError
    void otherFailure(WebSocketConnection connection, Throwable failure) {
        LOG.debugf("connection %s failed: %s", connection.id(), failure.toString());
    }

    /** The WebSocket under a session; writes are queued by Vert.x, so sending never blocks. */
    private record WebSocketOutbound(WebSocketConnection connection) implements Session.Outbound {

        @Override
        public void send(String text) {
            connection.sendText(text).subscribe().with(ok -> {
            }, failure -> LOG.debugf("write to %s failed: %s", connection.id(), failure.toString()));
        }

        @Override
        public void close(int code, String reason) {
            connection.close(new CloseReason(code, reason)).subscribe().with(ok -> {
            }, failure -> LOG.debugf("close of %s failed: %s", connection.id(), failure.toString()));
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen();
        }
    }
}
