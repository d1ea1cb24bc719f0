package io.switchboard.node;

import java.util.function.LongSupplier;

import io.switchboard.config.SwitchboardConfig;

/**
 * A connection's token bucket (PROTOCOL §5): every client frame takes a token; the bucket refills at
 * {@code messages-per-second} up to {@code burst}. Refusals are counted per window, so a client that keeps
 * flooding after being told can be cut off. Used by one connection's frames, which are handled in order.
 */
final class RateLimiter {

    enum Verdict {
        ALLOWED,
        REFUSED,
        FLOODING
    }

    private final double perNano;
    private final double burst;
    private final int floodRefusals;
    private final long floodWindowNanos;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastRefill;
    private long windowStart;
    private int refusedInWindow;

    RateLimiter(SwitchboardConfig.Limits limits, LongSupplier nanoClock) {
        this.perNano = limits.messagesPerSecond() / 1e9;
        this.burst = limits.burst();
        this.floodRefusals = limits.floodRefusals();
        this.floodWindowNanos = limits.floodWindow().toNanos();
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.lastRefill = nanoClock.getAsLong();
        this.windowStart = lastRefill;
    }

    synchronized Verdict take() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - lastRefill) * perNano);
        lastRefill = now;
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ALLOWED;
        }
        if (now - windowStart > floodWindowNanos) {
            windowStart = now;
            refusedInWindow = 0;
        }
        refusedInWindow++;
        return refusedInWindow > floodRefusals ? Verdict.FLOODING : Verdict.REFUSED;
    }
}
