package io.switchboard.chat;

import java.util.function.LongSupplier;

import io.switchboard.config.SwitchboardConfig;

/**
 * A token bucket. A connection's (PROTOCOL §5): every client frame takes a token; the bucket refills at
 * {@code messages-per-second} up to {@code burst}. Refusals are counted per window, so a client that keeps
 * flooding after being told can be cut off. The HTTP API keeps one per caller, without the flood count.
 */
public final class RateLimiter {

    public enum Verdict {
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
        this(limits.messagesPerSecond(), limits.burst(), limits.floodRefusals(), limits.floodWindow().toNanos(), nanoClock);
    }

    /** A bucket of {@code burst} refilled at {@code perSecond}, that never reports flooding. */
    public RateLimiter(double perSecond, double burst, LongSupplier nanoClock) {
        this(perSecond, burst, Integer.MAX_VALUE, Long.MAX_VALUE, nanoClock);
    }

    private RateLimiter(double perSecond, double burst, int floodRefusals, long floodWindowNanos, LongSupplier nanoClock) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.floodRefusals = floodRefusals;
        this.floodWindowNanos = floodWindowNanos;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.lastRefill = nanoClock.getAsLong();
        this.windowStart = lastRefill;
    }

    public synchronized Verdict take() {
        long now = refill();
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

    /**
     * Takes {@code extra} tokens more for a frame that cost more than one. The bucket may go below empty: then
     * every frame is refused until it has refilled, so what was spent is paid back at the bucket's rate.
     */
    synchronized void charge(int extra) {
        refill();
        tokens -= extra;
    }

    /**
     * Frames the client sent over {@code nanos} waited in its buffers because the server did not read them: the
     * bucket gets what it would have refilled meanwhile beyond its burst, up to a second burst, so that they are
     * not refused when they arrive together.
     */
    synchronized void credit(long nanos) {
        refill();
        tokens = Math.max(tokens, Math.min(2 * burst, tokens + nanos * perNano));
    }

    private long refill() {
        long now = nanoClock.getAsLong();
        if (tokens < burst) {
            // a credit (see credit) may have left more than a burst: it is spent, not taken back
            tokens = Math.min(burst, tokens + (now - lastRefill) * perNano);
        }
        lastRefill = now;
        return now;
    }

    /** Whether the bucket is full again: its owner has been quiet long enough to be forgotten. */
    public synchronized boolean idle() {
        return tokens + (nanoClock.getAsLong() - lastRefill) * perNano >= burst;
    }
}
