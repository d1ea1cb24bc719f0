package io.switchboard.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Identity;
import io.switchboard.node.RateLimiter;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolException;
import io.vertx.core.Vertx;

/**
 * The HTTP API's rate per caller, on this instance: {@code limits.api-requests-per-second} with a burst of
 * {@code limits.api-burst}; beyond, 429 {@code rate_limited}. Buckets of callers gone quiet are dropped each
 * minute, so the map holds the recent callers only.
 */
@ApplicationScoped
class ApiRateLimit {

    private static final long SWEEP_MILLIS = 60_000;

    private final Map<String, RateLimiter> buckets = new ConcurrentHashMap<>();
    private final double perSecond;
    private final double burst;

    ApiRateLimit(SwitchboardConfig config) {
        this.perSecond = config.limits().apiRequestsPerSecond();
        this.burst = config.limits().apiBurst();
    }

    void onStart(@Observes StartupEvent started, Vertx vertx) {
        vertx.setPeriodic(SWEEP_MILLIS, id -> buckets.values().removeIf(RateLimiter::idle));
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
