package io.switchboard.ws.transport;

import jakarta.inject.Singleton;

import io.netty.channel.ChannelPipeline;
import io.switchboard.config.SwitchboardConfig;

/** Puts an {@link InboundGuard}, held to {@code switchboard.limits}, on each connection's pipeline. */
@Singleton
public class InboundGuards {

    private final InboundGuard.Budget budget;
    private final InboundBacklog backlog;

    InboundGuards(SwitchboardConfig config, InboundBacklog backlog) {
        this.budget = InboundGuard.Budget.of(config.limits());
        this.backlog = backlog;
    }

    /**
     * A connection became a WebSocket: its guard (in place since its first request head, or put there now), and
     * no request-head deadline any more. Null only if Vert.x's handler is not where {@link InboundGuard} expects it.
     */
    public InboundGuard opened(ChannelPipeline pipeline) {
        InboundGuard guard = on(pipeline);
        RequestHeadDeadline.leave(pipeline);
        return guard;
    }

    InboundGuard on(ChannelPipeline pipeline) {
        return InboundGuard.on(pipeline, budget, backlog);
    }
}
