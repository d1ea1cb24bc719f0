package io.switchboard.ws;

import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.switchboard.node.Session;
import io.switchboard.protocol.OutgoingFrame;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * The WebSocket under a session. Writes are queued by Vert.x, so sending never blocks; what is queued and not yet
 * written is counted, and a connection whose client stops reading is closed (1008, slow consumer) once that passes
 * the bound, instead of growing the server's memory.
 */
final class WebSocketOutbound implements Session.Outbound {

    private static final Logger LOG = Logger.getLogger(WebSocketOutbound.class);

    private final WebSocketConnection connection;
    private final WebSocketBase socket;
    private final int maxQueued;
    private final int maxFrameBytes;
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean overflowed;

    WebSocketOutbound(WebSocketConnection connection, int maxQueued, int maxFrameBytes) {
        this.connection = connection;
        this.socket = VertxWebSockets.of(connection);
        this.maxQueued = maxQueued;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void send(OutgoingFrame frame) {
        if (overflowed) {
            return;
        }
        byte[] bytes = frame.utf8();
        int size = bytes.length;
        if (queued.addAndGet(size) > maxQueued) {
            overflowed = true;
            close(ChatEndpoint.CLOSE_POLICY, "slow consumer: outbound queue full");
            return;
        }
        // the shared bytes are wrapped, not copied; a frame over the frame size is split into continuations by Vert.x
        Future<Void> written = size <= maxFrameBytes
                ? socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, bytes, true))
                : socket.writeTextMessage(frame.text());
        written.onComplete(result -> written(size, result));
    }

    private void written(int size, AsyncResult<Void> result) {
        queued.addAndGet(-size);
        if (result.failed()) {
            LOG.debugf("write to %s failed: %s", connection.id(), result.cause().toString());
        }
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
