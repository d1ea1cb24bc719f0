package io.switchboard.ws.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.impl.ServerWebSocketWrapper;

/**
 * What the transport finds inside a Vert.x HTTP server of the version in use, on a plain Vert.x and vertx-web
 * server, as Quarkus builds it: should an upgrade move any of it, this says which piece loses its footing.
 */
class VertxReachTest {

    private static final long WAIT_SECONDS = 10;

    private Vertx vertx;
    private HttpServer server;
    private final CompletableFuture<ChannelHandlerContext> requestChannel = new CompletableFuture<>();
    private final CompletableFuture<ServerWebSocket> webSocket = new CompletableFuture<>();

    @BeforeEach
    void listen() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/http").handler(context -> {
            if (context.request().connection() instanceof ConnectionBase connection) {
                requestChannel.complete(connection.channelHandlerContext());
            } else {
                requestChannel.completeExceptionally(new AssertionError(
                        "not a ConnectionBase: " + context.request().connection().getClass()));
            }
            context.response().end();
        });
        router.get("/ws").handler(context -> context.request().toWebSocket().onComplete(opened -> {
            if (opened.succeeded()) {
                webSocket.complete(opened.result());
            } else {
                webSocket.completeExceptionally(opened.cause());
            }
        }));
        // a given port: Vert.x lists no server that asked for port 0 (Quarkus asks for -1, a shared random one)
        server = await(vertx.createHttpServer().requestHandler(router).listen(freePort(), "127.0.0.1"));
    }

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    /** HandshakeDeadline puts its acceptor on the listening channel, found under a private field. */
    @Test
    void aListeningServersChannelIsUnderItsBindFuture() {
        assertThat(((VertxInternal) vertx).sharedHttpServers().values()).isNotEmpty().allSatisfy(shared -> {
            Future<?> bound = (Future<?>) HandshakeDeadline.listeningChannel().get(shared);
            assertThat(bound.result()).isInstanceOf(Channel.class);
        });
    }

    /**
     * InboundGuard and HandshakeDeadline put their handlers before Vert.x's, found by its name; AddressUpgradeCheck
     * reaches a request's channel through Vert.x's connection class.
     */
    @Test
    void aRequestsConnectionHasVertxsHandlerUnderTheNameTheGuardExpects() throws Exception {
        await(vertx.createHttpClient().request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/http")
                .compose(request -> request.send()));

        ChannelHandlerContext channel = requestChannel.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(channel.pipeline().get(InboundGuard.VERTX_HANDLER)).isNotNull();
    }

    /** VertxWebSockets reaches the channel under vertx-web's wrapper, then under Vert.x's own WebSocket. */
    @Test
    void aWebSocketsChannelIsReachedUnderVertxWebsWrapper() throws Exception {
        await(vertx.createHttpClient().webSocket(server.actualPort(), "127.0.0.1", "/ws"));

        WebSocketBase socket = webSocket.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(socket).isInstanceOf(ServerWebSocketWrapper.class);
        ChannelHandlerContext channel = VertxWebSockets.channelOf(socket);
        assertThat(channel.channel().isActive()).isTrue();
        assertThat(channel.pipeline().get(InboundGuard.VERTX_HANDLER)).isNotNull();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
