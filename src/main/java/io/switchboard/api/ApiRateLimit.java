package io.switchboard.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Identity;
import io.switchboard.chat.RateLimiter;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolException;
import io.vertx.core.Vertx;

/**
 * The HTTP API's rate per caller, on this instance: {@code limits.api-requests-per-second} with a burst of
 * {@code limits.api-burst}; beyond, 429 {@code rate_limited}. Before that, per client address (the forwarded one
 * behind a trusted proxy), {@code limits.api-requests-per-address-per-second}, taken before the caller is known,
 * so neither made-up user ids (dev mode) nor requests refused 401 are free. Buckets gone quiet are dropped each
 * minute, so the maps hold the recent callers only.
 */
@ApplicationScoped
class ApiRateLimit {

    private static final long SWEEP_MILLIS = 60_000;

    private final Map<String, RateLimiter> buckets = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> addresses = new ConcurrentHashMap<>();
    private final double perSecond;
    private final double burst;
    private final double perAddressPerSecond;

    ApiRateLimit(SwitchboardConfig config) {
        this.perSecond = config.limits().apiRequestsPerSecond();
        this.burst = config.limits().apiBurst();
        this.perAddressPerSecond = config.limits().apiRequestsPerAddressPerSecond();
    }

    void onStart(@Observes StartupEvent started, Vertx vertx) {
        vertx.setPeriodic(SWEEP_MILLIS, id -> {
            buckets.values().removeIf(RateLimiter::idle);
            addresses.values().removeIf(RateLimiter::idle);
        });
    }

    /** Takes a request's token for its client address (null: not known); {@code rate_limited} when none is left. */
    void takeFrom(String address) {
        if (address == null) {
            return;
        }
        RateLimiter bucket = addresses.computeIfAbsent(address,
                key -> new RateLimiter(perAddressPerSecond, 2 * perAddressPerSecond, System::nanoTime));
        if (bucket.take() != RateLimiter.Verdict.ALLOWED) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "too many API requests from this address; slow down");
        }
    }

    /** Takes a request's token for the caller; {@code rate_limited} when none is left. */
    void take(Identity caller) {
        RateLimiter bucket = buckets.computeIfAbsent(caller.userId(),
                user -> new RateLimiter(perSecond, burst, System::nanoTime));
        if (bucket.take() != RateLimiter.Verdict.ALLOWED) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "too many API requests; slow down");
        }
    }
}
