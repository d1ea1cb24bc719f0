package io.switchboard.ws;

import java.lang.invoke.MethodHandles;
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
import io.netty.util.concurrent.ScheduledFuture;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.HttpServerStart;
import io.switchboard.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;

/**
 * A connection must finish sending its request head (the upgrade, or any HTTP request) within
 * {@code liveness.handshake-timeout}, or it is closed: a client sending its headers a byte at a time would
 * otherwise keep its connection forever, since every byte resets the idle timers. Vert.x has no such timeout and
 * Quarkus no hook per TCP connection, so a handler on the listening socket gives each accepted connection a
 * deadline and a byte scanner that looks for the end of the first request head ({@code CRLF CRLF}), then steps out
 * of the pipeline, leaving an {@link InboundGuard} in front of Vert.x. The listening channel is reached through
 * Vert.x internals, looked up once at start; should a Vert.x upgrade move them, start-up says so loudly and the
 * deadline is off (each WebSocket then gets its guard when it opens). TLS connections are let through
 * unscanned (their bytes cannot be read here); terminate TLS at a proxy with its own header timeout.
 */
@ApplicationScoped
@RegisterForReflection(targets = TCPServerBase.class, fields = true)
class HandshakeDeadline {

    private static final Logger LOG = Logger.getLogger(HandshakeDeadline.class);
    private static final byte TLS_HANDSHAKE = 0x16;

    private final long timeoutMillis;
    private final InboundGuard.Budget budget;
    private final InboundBacklog backlog;
    private final AddressConnections addresses;

    HandshakeDeadline(SwitchboardConfig config, InboundBacklog backlog, AddressConnections addresses) {
        this.timeoutMillis = config.liveness().handshakeTimeout().toMillis();
        this.budget = InboundGuard.Budget.of(config.limits());
        this.backlog = backlog;
        this.addresses = addresses;
    }

    void onListening(@ObservesAsync HttpServerStart started, Vertx vertx) {
        VarHandle bound;
        try {
            bound = MethodHandles.privateLookupIn(TCPServerBase.class, MethodHandles.lookup())
                    .findVarHandle(TCPServerBase.class, "bindFuture", Future.class);
        } catch (ReflectiveOperationException e) {
            LOG.errorf("no handshake deadline: Vert.x's TCPServerBase.bindFuture is gone (%s)", e);
            return;
        }
        ((VertxInternal) vertx).sharedHttpServers().values().forEach(server -> {
            Future<?> listening = (Future<?>) bound.get(server);
            if (listening != null && listening.result() instanceof Channel acceptor
                    && acceptor.pipeline().get(Acceptor.class) == null) {
                acceptor.pipeline().addFirst(new Acceptor());
            }
        });
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
                connection.pipeline().addFirst(new Deadline());
            }
            ctx.fireChannelRead(accepted);
        }
    }

    /** Closes its connection unless the end of the first request head arrives in time. */
    private final class Deadline extends ChannelInboundHandlerAdapter {

        private ScheduledFuture<?> timer;
        /** How much of {@code CR LF CR LF} the bytes so far end with. */
        private int matched;
        private boolean first = true;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            timer = ctx.executor().schedule(() -> {
                LOG.debugf("%s did not send its request head within %d ms: closed", ctx.channel().remoteAddress(),
                        timeoutMillis);
                ctx.close();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean headEnds = msg instanceof ByteBuf bytes && headEnds(bytes);
            // Vert.x builds the HTTP pipeline as the first bytes go through (it looks for HTTP/2 first)
            ctx.fireChannelRead(msg);
            if (headEnds) {
                stepOut(ctx);
            }
        }

        private boolean headEnds(ByteBuf bytes) {
            int end = bytes.writerIndex();
            for (int i = bytes.readerIndex(); i < end; i++) {
                byte b = bytes.getByte(i);
                if (first) {
                    first = false;
                    if (b == TLS_HANDSHAKE) {
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

        /** Leaves the connection to its {@link InboundGuard}, in place before the first WebSocket frame can come. */
        private void stepOut(ChannelHandlerContext ctx) {
            if (timer != null) {
                timer.cancel(false);
            }
            InboundGuard.on(ctx.pipeline(), budget, backlog);
            ctx.pipeline().remove(this);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timer != null) {
                timer.cancel(false);
            }
            ctx.fireChannelInactive();
        }
    }
}
