package io.switchboard.ws.transport;

import java.lang.invoke.VarHandle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.HttpServerStart;
import io.switchboard.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;

/**
 * A connection must finish sending each request head (the upgrade, or any HTTP request) within
 * {@code liveness.handshake-timeout}, or it is closed: a client sending its headers a byte at a time would
 * otherwise keep its connection forever, since every byte resets the idle timers. Vert.x has no such timeout and
 * Quarkus no hook per TCP connection, so a handler on the listening socket gives each accepted connection a
 * deadline and a byte scanner that looks for the end of the first request head ({@code CRLF CRLF}); from then on
 * Vert.x's decoder tells where requests start and end, and on a keep-alive connection each later head must arrive
 * within the timeout of its first byte (a connection that sends nothing between requests is the idle timeout's).
 * An {@link InboundGuard} is put in front of Vert.x after the first head; the deadline ({@link RequestHeadDeadline})
 * leaves the pipeline when the connection becomes a WebSocket. The listening channel is reached through a private
 * field of Vert.x, looked up when the application starts ({@link InternalsCheck}), which fails there if an upgrade
 * moved it.
 * TLS connections are let through unscanned (their bytes cannot be read here); terminate TLS at a proxy with its
 * own header timeout.
 */
@ApplicationScoped
@RegisterForReflection(targets = TCPServerBase.class, fields = true)
class HandshakeDeadline {

    private static final Logger LOG = Logger.getLogger(HandshakeDeadline.class);

    /** A listening server's channel, once bound. */
    private static final VarHandle BIND_FUTURE = listeningChannel();

    private final long timeoutMillis;
    private final InboundGuards guards;
    private final AddressConnections addresses;

    HandshakeDeadline(SwitchboardConfig config, InboundGuards guards, AddressConnections addresses) {
        this.timeoutMillis = config.liveness().handshakeTimeout().toMillis();
        this.guards = guards;
        this.addresses = addresses;
    }

    /** Quarkus' servers are Vert.x shared servers (a random port too: Quarkus asks for Vert.x's shared one, -1). */
    void onListening(@ObservesAsync HttpServerStart started, Vertx vertx) {
        int listeningChannels = 0;
        for (TCPServerBase server : ((VertxInternal) vertx).sharedHttpServers().values()) {
            Future<?> listening = (Future<?>) BIND_FUTURE.get(server);
            if (listening != null && listening.result() instanceof Channel acceptor) {
                listeningChannels++;
                if (acceptor.pipeline().get(Acceptor.class) == null) {
                    acceptor.pipeline().addFirst(new Acceptor());
                }
            }
        }
        if (listeningChannels == 0) {
            LOG.warn("no listening channel among Vert.x's shared HTTP servers: no request-head deadline, and no "
                    + "per-address cap when connections are accepted");
        }
    }

    static VarHandle listeningChannel() {
        return Internals.field(TCPServerBase.class, "bindFuture", Future.class, HandshakeDeadline.class);
    }

    /**
     * On the listening channel: every accepted connection gets a {@link RequestHeadDeadline} first in its pipeline,
     * or, when its address holds its cap of connections already, is reset at once, before it reaches Vert.x.
     */
    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object accepted) {
            if (accepted instanceof Channel connection) {
                if (addresses.countsAtAccept() && !addresses.admit(connection, connection.remoteAddress())) {
                    // not registered with an event loop yet: closed as Netty closes a channel it failed to register
                    connection.config().setOption(ChannelOption.SO_LINGER, 0);
                    connection.unsafe().closeForcibly();
                    return;
                }
                connection.pipeline().addFirst(RequestHeadDeadline.NAME,
                        new RequestHeadDeadline(timeoutMillis, guards));
            }
            ctx.fireChannelRead(accepted);
        }
    }
}
