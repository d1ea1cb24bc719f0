package io.switchboard.ws;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
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
 * that was most of the cost of a delivery after the write syscall itself (async-profiler, bench/RESULTS.md).
 * Writing the shared, already encoded bytes straight to the Vert.x socket removes both. websockets-next keeps the
 * socket behind a package-private accessor, so it is looked up once; if a Quarkus upgrade renames it, start-up
 * fails here loudly, and every WebSocket test with it.
 */
@RegisterForReflection(classNames = { "io.quarkus.websockets.next.runtime.WebSocketConnectionBase",
        "io.vertx.ext.web.impl.ServerWebSocketWrapper" }, methods = true, fields = true)
final class VertxWebSockets {

    private static final String CONNECTION_BASE = "io.quarkus.websockets.next.runtime.WebSocketConnectionBase";
    private static final MethodHandle WEB_SOCKET = lookup();
    /** vertx-web wraps the server's WebSocket to fix up its host and scheme; the channel is under the wrapper. */
    private static final VarHandle WRAPPED = wrappedSocket();

    private VertxWebSockets() {
    }

    static WebSocketBase of(WebSocketConnection connection) {
        try {
            return (WebSocketBase) WEB_SOCKET.invoke(connection);
        } catch (Throwable e) {
            throw new IllegalStateException("no Vert.x WebSocket under " + connection, e);
        }
    }

    /**
     * Empties the upgrade request's header map, which Vert.x keeps for the socket's life. Once open, nothing reads
     * it: websockets-next answers {@code handshakeRequest()} from its own copy, made at the upgrade, and
     * Switchboard reads neither after {@code @OnOpen}. About 0.5 KB less heap per idle connection (README,
     * Performance).
     */
    static void forgetHandshakeHeaders(WebSocketBase socket) {
        if (socket instanceof ServerWebSocket server) {
            server.headers().clear();
        }
    }

    /** The Netty channel under the WebSocket, for cutting a connection whose close frame cannot get through. */
    static ChannelHandlerContext channelOf(WebSocketBase socket) {
        if (socket instanceof ServerWebSocketWrapper wrapper) {
            return channelOf((WebSocketBase) WRAPPED.get(wrapper));
        }
        return ((WebSocketInternal) socket).channelHandlerContext();
    }

    private static VarHandle wrappedSocket() {
        try {
            return MethodHandles.privateLookupIn(ServerWebSocketWrapper.class, MethodHandles.lookup())
                    .findVarHandle(ServerWebSocketWrapper.class, "delegate", ServerWebSocket.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ServerWebSocketWrapper.delegate is gone: see VertxWebSockets", e);
        }
    }

    private static MethodHandle lookup() {
        try {
            Class<?> base = Class.forName(CONNECTION_BASE, false, VertxWebSockets.class.getClassLoader());
            return MethodHandles.privateLookupIn(base, MethodHandles.lookup())
                    .findVirtual(base, "webSocket", MethodType.methodType(WebSocketBase.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(CONNECTION_BASE + ".webSocket() is gone: see VertxWebSockets", e);
        }
    }
}
