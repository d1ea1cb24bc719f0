package io.switchboard.engine.memory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.smallrye.mutiny.Uni;
import io.switchboard.room.StorageQuota;

/** Each user's window in this process's memory; windows that ended are swept, so no user is kept for good. */
public class MemoryStorageQuota implements StorageQuota {

    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private volatile long lastSweep;

    MemoryStorageQuota() {
        this(System::currentTimeMillis);
    }

    MemoryStorageQuota(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public Uni<Boolean> charge(String user, long bytes, long max, Duration window) {
        long now = clock.getAsLong();
        sweepEndedWindows(now);
        boolean[] within = { false };
        windows.compute(user, (u, current) -> {
            Window open = current == null || current.endsAt <= now ? new Window(now + window.toMillis(), 0) : current;
            within[0] = open.bytes + bytes <= max;
            Window next = within[0] ? new Window(open.endsAt, open.bytes + bytes) : open;
            return next.bytes == 0 ? null : next;
        });
        return Uni.createFrom().item(within[0]);
    }

    private void sweepEndedWindows(long now) {
        if (now - lastSweep < SWEEP_EVERY_MILLIS) {
            return;
        }
        lastSweep = now;
        windows.values().removeIf(window -> window.endsAt <= now);
    }

    private record Window(long endsAt, long bytes) {
    }
}
