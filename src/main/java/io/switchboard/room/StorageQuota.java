package io.switchboard.room;

import java.time.Duration;

import io.smallrye.mutiny.Uni;

/**
 * Bytes each user made the server store (room messages, direct messages kept for offline users) in a window
 * counted from the first of them. A user's counter exists only while its window runs, and only once it was used.
 */
public interface StorageQuota {

    /** Counts {@code bytes} against the user's {@code max} in the window; false, counting nothing, beyond it. */
    Uni<Boolean> charge(String user, long bytes, long max, Duration window);
}
