package io.switchboard.ws.transport;

import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

import io.switchboard.metrics.ChatMetrics;

/**
 * Messages read from this instance's connections and not yet answered, all {@link InboundGuard}s together: each
 * connection's share is bounded, and the sum grows when a backend answers slowly.
 */
@Singleton
class InboundBacklog {

    private final LongAdder waiting = new LongAdder();

    InboundBacklog(ChatMetrics metrics) {
        metrics.gauge("switchboard.inbound.waiting", "Client messages read on this instance whose work has not ended",
                waiting::sum);
    }

    void add(int messages) {
        waiting.add(messages);
    }
}
