package io.switchboard.ws;

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
        metrics.gauge("switchboard.inbound.waiting", "Client messages read and not yet answered on this instance",
                waiting::sum);
    }

    void add(int messages) {
        waiting.add(messages);
    }
}
