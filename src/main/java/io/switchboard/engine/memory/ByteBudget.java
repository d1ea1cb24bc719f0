package io.switchboard.engine.memory;

import java.util.concurrent.atomic.AtomicLong;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolException;

/**
 * The bytes one memory store may keep in all. A change that would pass the budget is refused, and nothing already
 * kept is evicted to make room: what was acked as stored stays until its own limits let it go.
 */
final class ByteBudget {

    private final long max;
    private final AtomicLong used = new AtomicLong();

    ByteBudget(long max) {
        this.max = max;
    }

    /** Adds {@code bytes} (less, when negative) unless that would pass the budget: false then, nothing counted. */
    boolean tryAdd(long bytes) {
        while (true) {
            long now = used.get();
            if (bytes > 0 && now + bytes > max) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** The answer to a message the budget has no room for. */
    static ProtocolException full(String setting) {
        return new ProtocolException(ErrorCode.RATE_LIMITED, "the server's message store is full (switchboard."
                + setting + "); the message was not kept, try again later");
    }
}
