package io.switchboard.ws.transport;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
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
 * An {@link InboundGuard} is put in front of Vert.x after the first head; the deadline leaves the pipeline when the
 * connection becomes a WebSocket ({@link #leave}). The listening channel is reached through a private field of
 * Vert.x, looked up when the application starts ({@link InternalsCheck}), which fails there if an upgrade moved it.
 * TLS connections are let through unscanned (their bytes cannot be read here); terminate TLS at a proxy with its
 * own header timeout.
 */
@ApplicationScoped
@RegisterForReflection(targets = TCPServerBase.class, fields = true)
class HandshakeDeadline {

    private static final Logger LOG = Logger.getLogger(HandshakeDeadline.class);
    private static final byte TLS_HANDSHAKE = 0x16;
    private static final String DEADLINE = "switchboard-head-deadline";
    private static final String BOUNDARIES = "switchboard-request-boundaries";

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
     * On the listening channel: every accepted connection gets a {@link Deadline} first in its pipeline, or, when
     * its address holds its cap of connections already, is reset at once, before it reaches Vert.x.
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
                connection.pipeline().addFirst(DEADLINE, new Deadline());
            }
            ctx.fireChannelRead(accepted);
        }
    }

    /** A WebSocket has no request heads any more: its connection's deadline leaves, with nothing left running. */
    static void leave(ChannelPipeline pipeline) {
        if (pipeline.get(BOUNDARIES) != null) {
            pipeline.remove(BOUNDARIES);
        }
        if (pipeline.get(DEADLINE) != null) {
            pipeline.remove(DEADLINE);
        }
    }

    /**
     * Closes its connection unless each request head arrives in time: the first within the timeout of the
     * connection's opening, each later one within the timeout of its first byte.
     */
    private final class Deadline extends ChannelInboundHandlerAdapter {

        private ScheduledFuture<?> timer;
        /** How much of {@code CR LF CR LF} the bytes so far end with. */
        private int matched;
        private boolean first = true;
        private boolean tls;
        /** The first head went through: Vert.x's decoder tells heads apart now ({@link RequestBoundaries}). */
        private boolean decoding;
        /** The last request ended: the next byte starts the next head, and its clock. */
        private boolean betweenRequests;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            arm(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (decoding) {
                if (betweenRequests && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                    betweenRequests = false;
                    arm(ctx);
                }
                ctx.fireChannelRead(msg);
                return;
            }
            boolean headEnds = msg instanceof ByteBuf bytes && headEnds(bytes);
            // Vert.x builds the HTTP pipeline as the first bytes go through (it looks for HTTP/2 first)
            ctx.fireChannelRead(msg);
            if (headEnds) {
                firstHeadArrived(ctx);
            }
        }

        private boolean headEnds(ByteBuf bytes) {
            int end = bytes.writerIndex();
            for (int i = bytes.readerIndex(); i < end; i++) {
                byte b = bytes.getByte(i);
                if (first) {
                    first = false;
                    if (b == TLS_HANDSHAKE) {
                        tls = true;
                        return true;
                    }
                }
                matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Puts the connection's {@link InboundGuard} in place, before the first WebSocket frame can come, and hands
         * the telling of later heads to Vert.x's decoder; steps out where there is none to read (TLS, HTTP/2).
         */
        private void firstHeadArrived(ChannelHandlerContext ctx) {
            disarm();
            guards.on(ctx.pipeline());
            if (tls || ctx.pipeline().get(InboundGuard.VERTX_HANDLER) == null) {
                ctx.pipeline().remove(this);
                return;
            }
            decoding = true;
            // the first request usually ended in these bytes; if its body is still coming, the decoder says so
            betweenRequests = true;
            ctx.pipeline().addBefore(InboundGuard.VERTX_HANDLER, BOUNDARIES, new RequestBoundaries(this));
        }

        void headArrived() {
            disarm();
        }

        void requestEnded() {
            disarm();
            betweenRequests = true;
        }

        private void arm(ChannelHandlerContext ctx) {
            timer = ctx.executor().schedule(() -> {
                LOG.debugf("%s did not send its request head within %d ms: closed", ctx.channel().remoteAddress(),
                        timeoutMillis);
                ctx.close();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }

        private void disarm() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            disarm();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            disarm();
            ctx.fireChannelInactive();
        }
    }

    /** Behind Vert.x's decoder: tells its connection's {@link Deadline} where each request's head and end are. */
    private static final class RequestBoundaries extends ChannelInboundHandlerAdapter {

        private final Deadline deadline;

        RequestBoundaries(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof LastHttpContent) {
                deadline.requestEnded();
            } else if (msg instanceof HttpRequest || msg instanceof HttpContent) {
                // a head, or a body being read: its head came in time
                deadline.headArrived();
            }
            ctx.fireChannelRead(msg);
        }
    }
}
