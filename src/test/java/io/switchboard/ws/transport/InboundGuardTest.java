package io.switchboard.ws.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.switchboard.metrics.ChatMetrics;

/**
 * The guard in a channel of its own, on a clock the test moves: every bound is a count, so none depends on the
 * machine's speed.
 */
class InboundGuardTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final InboundGuard.Budget BUDGET = new InboundGuard.Budget(10, 10, 4, 2 * SECOND, 3, 1000, 100);

    private long now;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InboundBacklog backlog = new InboundBacklog(new ChatMetrics(registry));
    private EmbeddedChannel channel;
    private InboundGuard guard;
    private final List<Integer> closeStatuses = new ArrayList<>();

    /** The close frames the server wrote, by status. */
    private List<Integer> closeStatuses() {
        Object written;
        while ((written = channel.readOutbound()) != null) {
            if (written instanceof CloseWebSocketFrame close) {
                closeStatuses.add(close.statusCode());
            }
            io.netty.util.ReferenceCountUtil.release(written);
        }
        return closeStatuses;
    }

    @BeforeEach
    void channel() {
        guard = new InboundGuard(BUDGET, backlog, () -> now);
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast("handler", new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // the UTF-8 validator says it here too, after its close frame
            }
        });
        channel.pipeline().addBefore("handler", InboundGuard.NAME, guard);
    }

    @Test
    void pingsPastTheBucketAreNotAnsweredAndTheSocketIsNotReadUntilItRefills() {
        int passed = send(15, PingWebSocketFrame::new);

        assertThat(passed).isEqualTo(10);
        assertThat(channel.config().isAutoRead()).isFalse();

        elapse(SECOND);

        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(send(1, PingWebSocketFrame::new)).isEqualTo(1);
    }

    @Test
    void aClientThatOutrunsTheBucketByAnotherBucketIsClosedWith1008() {
        send(20, PingWebSocketFrame::new);
        assertThat(closeStatuses()).isEmpty();

        int passed = send(1, () -> text("{}"));

        assertThat(closeStatuses()).containsExactly(1008);
        assertThat(passed).isZero();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void pingsAreNotAnsweredWhileTheConnectionTakesNoWrites() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        channel.write(Unpooled.wrappedBuffer(new byte[16]));
        assertThat(channel.isWritable()).isFalse();

        assertThat(send(3, PingWebSocketFrame::new)).isZero();
    }

    @Test
    void emptyContinuationsCountAsFragmentsOfTheirMessage() {
        channel.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("{", StandardCharsets.UTF_8)));
        send(3, () -> new ContinuationWebSocketFrame(false, 0, Unpooled.EMPTY_BUFFER));
        assertThat(closeStatuses()).isEmpty();

        send(1, () -> new ContinuationWebSocketFrame(false, 0, Unpooled.EMPTY_BUFFER));

        assertThat(closeStatuses()).containsExactly(1008);
    }

    @Test
    void aFragmentedMessageMustBeFinishedInTime() {
        channel.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("{", StandardCharsets.UTF_8)));
        elapse(3 * SECOND);

        send(1, PingWebSocketFrame::new);

        assertThat(closeStatuses()).containsExactly(1008);
    }

    @Test
    void theSocketIsNotReadWhileTooManyMessagesAwaitTheirAnswer() {
        assertThat(send(3, () -> text("{}"))).isEqualTo(3);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(waiting()).isEqualTo(3);

        guard.answered();
        channel.runPendingTasks();

        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(waiting()).isEqualTo(2);
    }

    @Test
    void whatAClosedConnectionLeftUnansweredNoLongerCountsAsWaiting() {
        send(2, () -> text("{}"));

        channel.close();
        guard.answered();

        assertThat(waiting()).isZero();
    }

    private double waiting() {
        return registry.get("switchboard.inbound.waiting").gauge().value();
    }

    @Test
    void theSocketIsNotReadWhileTooManyBytesAwaitTheirAnswer() {
        send(1, () -> text("x".repeat(1000)));

        assertThat(channel.config().isAutoRead()).isFalse();
        guard.answered();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void textThatIsNotUtf8IsRefusedWith1007() {
        int passed = send(1, () -> new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] { '"', (byte) 0xC3, '"' })));

        assertThat(passed).isZero();
        assertThat(closeStatuses()).containsExactly(1007);
    }

    @Test
    void aChunkedRequestBodyIsRefusedWith413AsSoonAsItPassesTheLimit() {
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/rooms/x/messages"));
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[60])));
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[60])));

        Object response = channel.readOutbound();
        assertThat(response).isInstanceOf(FullHttpResponse.class);
        assertThat(((FullHttpResponse) response).status().code()).isEqualTo(413);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void everyRequestOnAKeptAliveConnectionHasABodyLimitOfItsOwn() {
        for (int request = 0; request < 3; request++) {
            channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/rooms/x/messages"));
            channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[60])));
        }

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void plainHttpPassesThroughWithoutPayingForAWebSocket() {
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/rooms"));

        assertThat((Object) channel.readInbound()).isInstanceOf(DefaultHttpRequest.class);
        assertThat(channel.pipeline().get(Utf8FrameValidator.class)).isNull();
    }

    private int send(int count, java.util.function.Supplier<io.netty.handler.codec.http.websocketx.WebSocketFrame> frame) {
        int passed = 0;
        for (int i = 0; i < count; i++) {
            channel.writeInbound(frame.get());
            Object read;
            while ((read = channel.readInbound()) != null) {
                passed++;
                io.netty.util.ReferenceCountUtil.release(read);
            }
        }
        return passed;
    }

    private void elapse(long nanos) {
        now += nanos;
        channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    private static TextWebSocketFrame text(String text) {
        return new TextWebSocketFrame(text);
    }
}
