package io.switchboard.ws.transport;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.config.SwitchboardConfig;

/**
 * Counts every frame a connection sends before it costs anything, control and continuation frames included. It sits
 * in the channel's pipeline between Netty's WebSocket decoder and Vert.x, where Vert.x would otherwise answer every
 * ping at once and hand every message on, however many wait for an answer already.
 * <ul>
 * <li>Frames take tokens from a bucket ({@code limits.frames-per-second}); once it is empty the socket is not read
 * until it refills, so a flood waits in the client's TCP buffers; a client that outruns it by another bucket (a
 * flood already read) is closed with 1008.</li>
 * <li>A ping is answered only while the connection takes writes and the bucket has tokens: pongs to a client that
 * does not read would pile up in the server's memory.</li>
 * <li>A fragmented message may come in at most {@code limits.max-fragments} frames, within
 * {@code limits.fragmented-message-timeout}: empty continuations neither grow a message nor finish it.</li>
 * <li>Messages handed on and not yet answered ({@link #answered()}) are bounded in count and bytes: at the bound the
 * socket is not read until one is answered.</li>
 * <li>Text must be UTF-8: Netty's validator closes with 1007 otherwise (Vert.x does not put it in place).</li>
 * <li>A frame Netty's decoder finds broken gets the close frame that names it (1002, 1009) before the socket
 * closes.</li>
 * <li>Before the upgrade, and on plain HTTP connections, a request body is bounded as it comes (413).</li>
 * </ul>
 * Not thread-safe: it runs on its channel's event loop, and {@link #answered()} hops onto it.
 */
public final class InboundGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "switchboard-inbound-guard";
    private static final String UTF8_NAME = "switchboard-utf8";
    /** Where Vert.x's connection handler sits in every server channel's pipeline (HttpServerWorker). */
    static final String VERTX_HANDLER = "handler";

    private final Budget budget;
    private final InboundBacklog backlog;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastRefill;
    private boolean refillScheduled;
    private int fragments;
    private long messageStarted;
    private int messageBytes;
    /** Of the HTTP request being read. */
    private long bodyBytes;
    /** Sizes of the messages handed on and not yet answered, oldest first; made at the first message. */
    private ArrayDeque<Integer> unanswered;
    private long unansweredBytes;
    private boolean refusing;
    private ChannelHandlerContext context;
    /** When the socket stopped being read for unanswered messages; 0 while it is read. */
    private long heldSince;
    private LongConsumer heldBack;

    InboundGuard(Budget budget, InboundBacklog backlog, LongSupplier nanoClock) {
        this.budget = budget;
        this.backlog = backlog;
        this.nanoClock = nanoClock;
        this.tokens = budget.frameBurst();
        this.lastRefill = nanoClock.getAsLong();
    }

    /**
     * This connection's guard, put in place before Vert.x's handler if it is not there yet; null while Vert.x has not
     * set the connection up. {@link RequestHeadDeadline} puts one on every connection once its first request head has
     * gone through, so a WebSocket has one from its first frame ({@link InboundGuards#opened} otherwise).
     */
    static InboundGuard on(ChannelPipeline pipeline, Budget budget, InboundBacklog backlog) {
        InboundGuard guard = pipeline.get(InboundGuard.class);
        if (guard == null && pipeline.get(VERTX_HANDLER) != null) {
            guard = new InboundGuard(budget, backlog, System::nanoTime);
            pipeline.addBefore(VERTX_HANDLER, NAME, guard);
        }
        return guard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            readHttp(ctx, msg);
            return;
        }
        if (refusing) {
            frame.release();
            return;
        }
        if (unanswered == null) {
            // the first frame of an upgraded connection: HTTP requests never pay for these
            unanswered = new ArrayDeque<>(4);
            ctx.pipeline().addAfter(ctx.name(), UTF8_NAME, new Utf8FrameValidator(true));
        }
        long now = nanoClock.getAsLong();
        if (!takeToken(now)) {
            refuse(ctx, frame, "too many frames");
            return;
        }
        if (frame instanceof PingWebSocketFrame && (tokens < 0 || !ctx.channel().isWritable())) {
            frame.release();
            return;
        }
        if (isData(frame) && !countFragment(ctx, frame, now)) {
            return;
        }
        if (fragments > 0 && now - messageStarted > budget.fragmentedMessageTimeoutNanos()) {
            refuse(ctx, frame, "fragmented message not finished in time");
            return;
        }
        ctx.fireChannelRead(frame);
    }

    /**
     * An HTTP request's body is counted as it comes: Vert.x refuses a declared length over the limit, but reads a
     * chunked body to its end before anyone looks at its size.
     */
    private void readHttp(ChannelHandlerContext ctx, Object msg) {
        if (refusing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            bodyBytes = 0;
        }
        if (msg instanceof HttpContent content) {
            bodyBytes += content.content().readableBytes();
            if (bodyBytes > budget.maxBodyBytes()) {
                content.release();
                refusing = true;
                updateReading();
                FullHttpResponse tooLarge = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
                tooLarge.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                        .set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(tooLarge).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** False when the frame broke the fragment bound (and was refused); hands a finished message's size on. */
    private boolean countFragment(ChannelHandlerContext ctx, WebSocketFrame frame, long now) {
        if (fragments == 0) {
            messageStarted = now;
        }
        fragments++;
        messageBytes += frame.content().readableBytes();
        if (fragments > budget.maxFragments()) {
            refuse(ctx, frame, "message in more than " + budget.maxFragments() + " frames");
            return false;
        }
        if (frame.isFinalFragment()) {
            unanswered.addLast(messageBytes);
            unansweredBytes += messageBytes;
            backlog.add(1);
            fragments = 0;
            messageBytes = 0;
            updateReading();
        }
        return true;
    }

    /** A message handed on has been answered: the socket may be read again if it waited for that. */
    public void answered() {
        if (context == null) {
            return;
        }
        if (context.executor().inEventLoop()) {
            release();
        } else {
            context.executor().execute(this::release);
        }
    }

    private void release() {
        // a message that arrived before this guard was in place has no entry
        Integer bytes = unanswered == null ? null : unanswered.pollFirst();
        if (bytes != null) {
            unansweredBytes -= bytes;
            backlog.add(-1);
            updateReading();
        }
    }

    /** What a connection that closed left unanswered is no longer waiting for anything. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (unanswered != null) {
            backlog.add(-unanswered.size());
            unanswered.clear();
        }
        ctx.fireChannelInactive();
    }

    private boolean takeToken(long now) {
        tokens = Math.min(budget.frameBurst(), tokens + (now - lastRefill) * budget.tokensPerNano());
        lastRefill = now;
        tokens -= 1;
        if (tokens < 0) {
            scheduleRefill();
        }
        return tokens >= -budget.frameBurst();
    }

    /** Stops reading until the bucket has a token again. */
    private void scheduleRefill() {
        updateReading();
        if (refillScheduled) {
            return;
        }
        refillScheduled = true;
        long wait = (long) Math.ceil((1 - tokens) / budget.tokensPerNano());
        context.executor().schedule(() -> {
            refillScheduled = false;
            long now = nanoClock.getAsLong();
            tokens = Math.min(budget.frameBurst(), tokens + (now - lastRefill) * budget.tokensPerNano());
            lastRefill = now;
            if (tokens < 1) {
                scheduleRefill();
            } else {
                updateReading();
            }
        }, wait, TimeUnit.NANOSECONDS);
    }

    private void updateReading() {
        boolean waiting = unanswered != null
                && (unanswered.size() >= budget.messagesInFlight() || unansweredBytes >= budget.bytesInFlight());
        boolean read = !refusing && tokens >= 0 && !waiting;
        if (context.channel().config().isAutoRead() != read) {
            context.channel().config().setAutoRead(read);
        }
        noteHeldBack(waiting);
    }

    /** While the server answers slowly, the client's frames wait in its buffers: how long is passed on. */
    private void noteHeldBack(boolean waiting) {
        if (waiting && heldSince == 0) {
            heldSince = Math.max(1, nanoClock.getAsLong());
        } else if (!waiting && heldSince != 0) {
            long held = nanoClock.getAsLong() - heldSince;
            heldSince = 0;
            if (heldBack != null) {
                heldBack.accept(held);
            }
        }
    }

    /** Told, after the socket was not read because messages waited for answers, how long that lasted (nanos). */
    public void onHeldBack(LongConsumer listener) {
        heldBack = listener;
    }

    /**
     * Netty's decoder found a broken frame (1002), or one over {@code frame-cut-off-bytes} (1009): Vert.x would
     * close the socket without a close frame, so the close frame naming it goes out first.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt && !refusing) {
            close(ctx, corrupt.closeStatus().code(), corrupt.getMessage());
        }
        ctx.fireExceptionCaught(cause);
    }

    /**
     * Drops the frame and whatever follows and closes the connection with 1008 at once: the close frame goes out if
     * the socket takes it, and nothing waits for the client's answer, since a flood's sender may never read.
     */
    private void refuse(ChannelHandlerContext ctx, WebSocketFrame frame, String reason) {
        frame.release();
        close(ctx, WebSocketCloseStatus.POLICY_VIOLATION.code(), reason);
    }

    private void close(ChannelHandlerContext ctx, int status, String reason) {
        refusing = true;
        updateReading();
        // a close frame's reason is at most 123 bytes; Netty's and these are ASCII
        String shortReason = reason == null || reason.length() <= 123 ? reason : reason.substring(0, 123);
        ctx.writeAndFlush(new CloseWebSocketFrame(status, shortReason));
        ctx.close();
    }

    private static boolean isData(WebSocketFrame frame) {
        return frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                || frame instanceof ContinuationWebSocketFrame;
    }

    /** The bounds one connection is held to ({@code switchboard.limits}). */
    record Budget(int framesPerSecond, int frameBurst, int maxFragments, long fragmentedMessageTimeoutNanos,
            int messagesInFlight, int bytesInFlight, long maxBodyBytes) {

        double tokensPerNano() {
            return framesPerSecond / 1e9;
        }

        static Budget of(SwitchboardConfig.Limits limits) {
            return new Budget(limits.framesPerSecond(), limits.frameBurst(), limits.maxFragments(),
                    limits.fragmentedMessageTimeout().toNanos(), limits.messagesInFlight(), limits.bytesInFlight(),
                    limits.maxRequestBody().asLongValue());
        }
    }
}
