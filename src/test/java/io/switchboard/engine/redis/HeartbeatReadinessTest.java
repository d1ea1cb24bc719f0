package io.switchboard.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Readiness from the heartbeats' record, by counts: no clock, nothing that depends on the machine's speed. */
class HeartbeatReadinessTest {

    private HeartbeatReadiness readiness;

    @BeforeEach
    void threeFailuresInARow() {
        readiness = new HeartbeatReadiness(3);
    }

    @Test
    void notReachableBeforeTheFirstBeatSucceeded() {
        assertThat(readiness.reachable()).isFalse();
        readiness.succeeded();
        assertThat(readiness.reachable()).isTrue();
    }

    @Test
    void oneSlowOrFailedBeatChangesNothing() {
        readiness.succeeded();

        readiness.failed();
        assertThat(readiness.reachable()).isTrue();
        readiness.succeeded();
        readiness.failed();
        readiness.failed();
        assertThat(readiness.reachable()).isTrue();
        readiness.succeeded();
        assertThat(readiness.reachable()).isTrue();
    }

    @Test
    void downAfterTheThirdFailureInARowAndUpWithTheNextSuccess() {
        readiness.succeeded();
        readiness.failed();
        readiness.failed();
        readiness.failed();
        assertThat(readiness.reachable()).isFalse();
        readiness.failed();
        assertThat(readiness.reachable()).isFalse();

        readiness.succeeded();
        assertThat(readiness.reachable()).isTrue();
    }
}
