package io.switchboard.ws.transport;

import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * First in an accepted connection's pipeline ({@link HandshakeDeadline}): closes the connection unless each request
 * head arrives in time, the first within the timeout of the connection's opening, each later one within the timeout
 * of its first byte. Runs on its channel's event loop.
 */
final class RequestHeadDeadline extends ChannelInboundHandlerAdapter {

    static final String NAME = "switchboard-head-deadline";
    private static final String BOUNDARIES = "switchboard-request-boundaries";
    private static final Logger LOG = Logger.getLogger(RequestHeadDeadline.class);
    private static final byte TLS_HANDSHAKE = 0x16;

    private final long timeoutMillis;
    private final InboundGuards guards;
    private ScheduledFuture<?> timer;
    /** How much of {@code CR LF CR LF} the bytes so far end with. */
    private int matched;
    private boolean first = true;
    private boolean tls;
    /** The first head went through: Vert.x's decoder tells heads apart now ({@link RequestBoundaries}). */
    private boolean decoding;
    /** The last request ended: the next byte starts the next head, and its clock. */
    private boolean betweenRequests;

    RequestHeadDeadline(long timeoutMillis, InboundGuards guards) {
        this.timeoutMillis = timeoutMillis;
        this.guards = guards;
    }

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

    /** A WebSocket has no request heads any more: its connection's deadline leaves, with nothing left running. */
    static void leave(ChannelPipeline pipeline) {
        if (pipeline.get(BOUNDARIES) != null) {
            pipeline.remove(BOUNDARIES);
        }
        if (pipeline.get(NAME) != null) {
            pipeline.remove(NAME);
        }
    }

    /** Behind Vert.x's decoder: tells its connection's deadline where each request's head and end are. */
    private static final class RequestBoundaries extends ChannelInboundHandlerAdapter {

        private final RequestHeadDeadline deadline;

        RequestBoundaries(RequestHeadDeadline deadline) {
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
