package io.switchboard.ws;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.chat.Session;
import io.switchboard.protocol.CloseCodes;
import io.switchboard.protocol.OutgoingFrame;
import io.switchboard.ws.transport.VertxWebSockets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.impl.ContextInternal;

/**
 * The WebSocket under a session. Writes are queued by Vert.x, so sending never blocks. Netty counts what is queued
 * and not yet taken by the kernel: the channel's high water mark is set to the outbound bound, and a connection
 * whose client stops reading is closed (1008, slow consumer) once it passes it, instead of growing the server's
 * memory. Reading that flag costs nothing per write, where a completion callback on every write cost a tenth of
 * the delivery path.
 */
final class WebSocketOutbound implements Session.Outbound {

    private static final Logger LOG = Logger.getLogger(WebSocketOutbound.class);

    private final WebSocketConnection connection;
    private final WebSocketBase socket;
    private final int maxFrameBytes;
    private final EventLoop eventLoop;
    private final long lingerMillis;
    private volatile boolean overflowed;

    /** Made in {@code @OnOpen}, which runs on the connection's event loop: that is the loop it keeps. */
    WebSocketOutbound(WebSocketConnection connection, SwitchboardConfig.Limits limits) {
        this.connection = connection;
        this.socket = VertxWebSockets.of(connection);
        VertxWebSockets.forgetHandshakeHeaders(socket);
        this.maxFrameBytes = limits.maxFrameBytes();
        this.lingerMillis = limits.slowConsumerLinger().toMillis();
        socket.setWriteQueueMaxSize(limits.outboundQueueBytes());
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            throw new IllegalStateException("a connection's outbound is made on its event loop");
        }
        this.eventLoop = context.nettyEventLoop();
    }

    @Override
    public void send(OutgoingFrame frame) {
        if (admit()) {
            write(frame);
        }
    }

    @Override
    public void ping(long sequence) {
        if (!overflowed && !queueFull()) {
            socket.writePing(Buffer.buffer(8).appendLong(sequence));
        }
    }

    /**
     * False for a slow consumer, which is closed instead of being written to (once). Its close frame waits behind
     * everything it did not read, and Vert.x's closing timeout starts only once that frame is out: the TCP
     * connection itself is reset after {@code limits.slow-consumer-linger}, whether the client read its close or not.
     */
    private boolean admit() {
        if (overflowed) {
            return false;
        }
        if (queueFull()) {
            overflowed = true;
            close(CloseCodes.POLICY, "slow consumer: outbound queue full");
            eventLoop.schedule(this::cut, lingerMillis, TimeUnit.MILLISECONDS);
            return false;
        }
        return true;
    }

    private void cut() {
        ChannelHandlerContext channel = VertxWebSockets.channelOf(socket);
        if (channel.channel().isOpen()) {
            LOG.debugf("slow consumer %s did not take its close: connection reset", connection.id());
            // a reset, not a FIN queued behind the unread bytes: the kernel frees them now, not minutes later
            channel.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
        }
    }

    private Future<Void> write(OutgoingFrame frame) {
        byte[] bytes = frame.utf8();
        // the shared bytes are wrapped, not copied; a frame over the frame size is split into continuations by Vert.x
        if (bytes.length <= maxFrameBytes) {
            return socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, bytes, true));
        }
        return socket.writeTextMessage(frame.text());
    }

    /** A closed socket is not full: the write that follows fails quietly, and its close is reported by @OnClose. */
    private boolean queueFull() {
        try {
            return socket.writeQueueFull();
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    @Override
    public void close(int code, String reason) {
        if (connection.isClosed()) {
            // the client left first (a drain meets thousands of these): websockets-next would warn for each
            return;
        }
        connection.close(new CloseReason(code, reason)).subscribe().with(ok -> {
        }, failure -> LOG.debugf("close of %s failed: %s", connection.id(), failure.toString()));
    }

    /** The channel's pipeline, where the connection's {@link io.switchboard.ws.transport.InboundGuard} sits. */
    ChannelPipeline pipeline() {
        return VertxWebSockets.channelOf(socket).pipeline();
    }

    /** The channel's high water mark is the outbound bound: less than half of it left means half is unread. */
    @Override
    public boolean backlogged() {
        Channel channel = VertxWebSockets.channelOf(socket).channel();
        return overflowed || channel.bytesBeforeUnwritable() < channel.config().getWriteBufferHighWaterMark() / 2;
    }

    @Override
    public Executor eventLoop() {
        return eventLoop;
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }
}
