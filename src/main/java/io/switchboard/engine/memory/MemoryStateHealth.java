package io.switchboard.engine.memory;

import io.switchboard.health.SharedStateHealth;

/** The memory engine's state lives in this process: it is there as long as the process is. */
public class MemoryStateHealth implements SharedStateHealth {

    @Override
    public String name() {
        return "memory-engine";
    }

    @Override
    public boolean reachable() {
        return true;
    }
}
