package io.switchboard.ws.transport;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.ext.web.impl.ServerWebSocketWrapper;

/**
 * The Vert.x WebSocket under a websockets-next connection. {@code WebSocketConnection.sendText} re-encodes the
 * text to UTF-8 and wraps every write in a context-propagating Uni; for a frame fanned out to many connections
 * that was most of the cost of a delivery after the write syscall itself (async-profiler). Writing the shared,
 * already encoded bytes straight to the Vert.x socket removes both. websockets-next keeps the socket behind a
 * package-private accessor, and vertx-web wraps that socket, keeping it in a private field: both are looked up
 * when the application starts ({@link InternalsCheck}), which fails there if an upgrade moved them.
 */
@RegisterForReflection(classNames = { VertxWebSockets.CONNECTION_BASE,
        "io.vertx.ext.web.impl.ServerWebSocketWrapper" }, methods = true, fields = true)
public final class VertxWebSockets {

    static final String CONNECTION_BASE = "io.quarkus.websockets.next.runtime.WebSocketConnectionBase";
    private static final MethodHandle WEB_SOCKET = socketAccessor();
    /** vertx-web wraps the server's WebSocket to fix up its host and scheme; the channel is under the wrapper. */
    private static final VarHandle WRAPPED = wrappedSocket();

    private VertxWebSockets() {
    }

    static MethodHandle socketAccessor() {
        return Internals.method(CONNECTION_BASE, "webSocket", MethodType.methodType(WebSocketBase.class),
                VertxWebSockets.class);
    }

    static VarHandle wrappedSocket() {
        return Internals.field(ServerWebSocketWrapper.class, "delegate", ServerWebSocket.class, VertxWebSockets.class);
    }

    public static WebSocketBase of(WebSocketConnection connection) {
        try {
            return (WebSocketBase) WEB_SOCKET.invoke(connection);
        } catch (Throwable e) {
            throw new IllegalStateException("no Vert.x WebSocket under " + connection, e);
        }
    }

    /**
     * Empties the upgrade request's header map, which Vert.x keeps for the socket's life. Once open, nothing reads
     * it: websockets-next answers {@code handshakeRequest()} from its own copy, made at the upgrade, and
     * Switchboard reads neither after {@code @OnOpen}. About 0.5 KB less heap per idle connection (a heap
     * histogram).
     */
    public static void forgetHandshakeHeaders(WebSocketBase socket) {
        if (socket instanceof ServerWebSocket server) {
            server.headers().clear();
        }
    }

    /** The Netty channel under the WebSocket: its pipeline, how much it has queued, and its reset. */
    public static ChannelHandlerContext channelOf(WebSocketBase socket) {
        if (socket instanceof ServerWebSocketWrapper wrapper) {
            return channelOf((WebSocketBase) WRAPPED.get(wrapper));
        }
        return ((WebSocketInternal) socket).channelHandlerContext();
    }
}
