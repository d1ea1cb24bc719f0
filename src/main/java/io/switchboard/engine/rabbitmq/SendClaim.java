package io.switchboard.engine.rabbitmq;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who gets to decide a queued message's fate, carried in its metadata: the connector when it takes the message
 * to publish it, or the sender when it gives up waiting. Whichever comes first wins, so a message its sender
 * abandoned (and kept in the inbox) is never published afterwards.
 */
final class SendClaim {

    private static final int OPEN = 0;
    private static final int TAKEN = 1;
    private static final int ABANDONED = 2;

    private final AtomicInteger state = new AtomicInteger(OPEN);

    /** The connector is about to publish it: true unless the sender abandoned it first. */
    boolean take() {
        return state.compareAndSet(OPEN, TAKEN);
    }

    /** The sender gives up: true when the message is guaranteed never to be published. */
    boolean abandon() {
        return state.compareAndSet(OPEN, ABANDONED);
    }
}
