package io.switchboard.engine.redis;

/**
 * What the heartbeats say of Redis, for readiness: unreachable before the first beat succeeded, and after
 * {@code failuresToDown} beats in a row failed; reachable again with the first that succeeds. One slow or refused
 * reply changes nothing: Redis is shared, so a verdict from one reply would take every instance out of the load
 * balancer at the same moment.
 */
final class HeartbeatReadiness {

    private final int failuresToDown;
    private int failuresInARow;
    private boolean succeededOnce;

    HeartbeatReadiness(int failuresToDown) {
        this.failuresToDown = failuresToDown;
    }

    synchronized void succeeded() {
        succeededOnce = true;
        failuresInARow = 0;
    }

    synchronized void failed() {
        failuresInARow++;
    }

    synchronized boolean reachable() {
        return succeededOnce && failuresInARow < failuresToDown;
    }
}
