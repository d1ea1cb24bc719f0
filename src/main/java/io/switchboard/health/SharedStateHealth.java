package io.switchboard.health;

/** Whether this instance reaches the shared state the engine keeps, for readiness. */
public interface SharedStateHealth {

    /** What holds the shared state, as readiness names it: {@code redis}, or {@code memory-engine}. */
    String name();

    boolean reachable();
}
