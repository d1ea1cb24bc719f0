package io.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The throttle on a clock the test moves: one signal per user, room and interval, and nothing kept for long. */
class TypingThrottleTest {

    private static final Duration INTERVAL = Duration.ofSeconds(2);

    private final AtomicLong clock = new AtomicLong(1_000);
    private final TypingThrottle throttle = new TypingThrottle(INTERVAL, clock::get);

    @Test
    void oneSignalPerUserAndRoomPerInterval() {
        assertThat(throttle.admit("alice", "lobby")).isTrue();
        assertThat(throttle.admit("alice", "lobby")).isFalse();
        assertThat(throttle.admit("alice", "kitchen")).isTrue();
        assertThat(throttle.admit("bob", "lobby")).isTrue();

        advance(INTERVAL.minusMillis(1));
        assertThat(throttle.admit("alice", "lobby")).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(throttle.admit("alice", "lobby")).isTrue();
        assertThat(throttle.admit("alice", "lobby")).isFalse();
    }

    @Test
    void aMessageMakesTheNextTypingNewsAgain() {
        assertThat(throttle.admit("alice", "lobby")).isTrue();
        assertThat(throttle.admit("alice", "kitchen")).isTrue();

        throttle.sent("alice", "lobby");

        assertThat(throttle.admit("alice", "lobby")).isTrue();
        assertThat(throttle.admit("alice", "kitchen")).isFalse();
    }

    @Test
    void aSignalStaysThrottledAcrossAGenerationChange() {
        advance(INTERVAL.minusMillis(10));
        assertThat(throttle.admit("alice", "lobby")).isTrue();
        advance(Duration.ofMillis(20));
        // a new generation began: the signal of 20 ms ago is in the previous one, and still counts
        assertThat(throttle.admit("bob", "lobby")).isTrue();
        assertThat(throttle.admit("alice", "lobby")).isFalse();
    }

    @Test
    void whatIsRememberedIsOnlyTheLastTwoIntervals() {
        for (int user = 0; user < 10_000; user++) {
            throttle.admit("user" + user, "lobby");
        }
        assertThat(throttle.remembered()).isEqualTo(10_000);

        advance(INTERVAL);
        throttle.admit("late", "lobby");
        advance(INTERVAL);
        throttle.admit("later", "lobby");

        assertThat(throttle.remembered()).isEqualTo(2);
        assertThat(throttle.admit("user0", "lobby")).isTrue();
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }
}
