package io.switchboard.chat;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.protocol.Utf8;
import io.switchboard.room.StorageQuota;

/**
 * What a user makes the server store, counted against {@code limits.stored-bytes-per-day} before it is stored:
 * the rate limit alone would let one sender fill Redis with gigabytes a day.
 */
@ApplicationScoped
class StoredBytes {

    private static final Duration WINDOW = Duration.ofDays(1);
    /** What is stored with each body (its id, sender, the entry itself), rounded up. */
    private static final int PER_MESSAGE = 100;

    private final StorageQuota quota;
    private final long perDay;

    StoredBytes(StorageQuota quota, SwitchboardConfig config) {
        this.quota = quota;
        this.perDay = config.limits().storedBytesPerDay();
    }

    /** Counts a body the user is about to have stored; beyond the quota, fails with {@code rate_limited}. */
    Uni<Void> charge(String user, String body) {
        return quota.charge(user, Utf8.length(body) + PER_MESSAGE, perDay, WINDOW).chain(within -> within
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(new ProtocolException(ErrorCode.RATE_LIMITED, "you made the server store "
                        + perDay + " bytes of messages in 24 hours, the most one user may"
                        + " (switchboard.limits.stored-bytes-per-day); the message was not kept")));
    }
}
