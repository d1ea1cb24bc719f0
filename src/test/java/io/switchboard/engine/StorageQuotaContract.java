package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.room.StorageQuota;

/** What every {@link StorageQuota} must do; one subclass per engine. */
public abstract class StorageQuotaContract {

    private static final Duration DAY = Duration.ofDays(1);

    protected abstract StorageQuota quota();

    private StorageQuota quota;
    private String user;

    @BeforeEach
    void setUp() {
        quota = quota();
        user = "user-" + UUID.randomUUID();
    }

    @Test
    void chargesUpToTheMaxAndRefusesBeyondItCountingNothing() {
        assertThat(charge(user, 600, 1000, DAY)).isTrue();
        assertThat(charge(user, 401, 1000, DAY)).isFalse();
        assertThat(charge(user, 400, 1000, DAY)).isTrue();
        assertThat(charge(user, 1, 1000, DAY)).isFalse();
    }

    @Test
    void eachUserHasAQuotaOfItsOwn() {
        assertThat(charge(user, 1000, 1000, DAY)).isTrue();

        assertThat(charge(user + "-other", 1000, 1000, DAY)).isTrue();
    }

    @Test
    void aWindowThatEndedStartsAnewWithItsNextCharge() {
        Duration window = Duration.ofMillis(300);
        assertThat(charge(user, 1000, 1000, window)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> charge(user, 1000, 1000, window));
    }

    private boolean charge(String who, long bytes, long max, Duration window) {
        return quota.charge(who, bytes, max, window).await().atMost(Duration.ofSeconds(10));
    }
}
