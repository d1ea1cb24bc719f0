package io.switchboard.ws.transport;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * websockets-next gives every connection a Mutiny MPSC queue (its per-connection concurrency limiter) whose first
 * chunk has Mutiny's "small" buffer size: 256 slots, about 1 KB per idle connection, for a queue that holds a frame
 * or two while the previous one is handled. Chunks are linked as needed, so a smaller first chunk bounds nothing;
 * it only stops idle connections from paying for slots they never use (a heap histogram showed them). Mutiny's
 * sizes are global: set as the application starts, before the first connection makes its queue.
 */
@Singleton
class ConnectionFootprint {

    /** Mutiny's minimum for this size. */
    static final int QUEUE_CHUNK = 16;

    void onStart(@Observes StartupEvent started) {
        if (System.getProperty("mutiny.buffer-size.s") == null) {
            Infrastructure.setBufferSizeS(QUEUE_CHUNK);
        }
    }
}
