package io.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** A connection the server did not read for a while is not refused for the frames that waited meanwhile. */
class RateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final RateLimiter bucket = new RateLimiter(10, 10, now::get);

    @Test
    void timeNotReadIsCreditedUpToASecondBurst() {
        now.addAndGet(TimeUnit.SECONDS.toNanos(10)); // the socket was not read for 10 s
        bucket.credit(TimeUnit.SECONDS.toNanos(10));

        assertThat(taken(25)).as("the burst, and one more for what waited").isEqualTo(20);
    }

    @Test
    void withoutCreditTheBurstIsTheBound() {
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));

        assertThat(taken(25)).isEqualTo(10);
    }

    private int taken(int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (bucket.take() == RateLimiter.Verdict.ALLOWED) {
                allowed++;
            }
        }
        return allowed;
    }
}
