package io.switchboard.engine.rabbitmq;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;

/**
 * The envelopes on their way to one instance, published one RabbitMQ message at a time (group commit): an
 * envelope that finds no publish awaiting its confirm goes out at once, alone; those that come while one does
 * wait and go out together in the next, as one message. Under load a message, its confirm and its
 * acknowledgement on the consuming side carry several envelopes, and every one of them costs the client threads
 * a hand-over; when idle nothing waits. Order is kept: envelopes leave in the order they came. A lane lives while
 * it publishes: once nothing waits it retires, so instances long gone leave no lane behind. Called from any
 * thread; the lock is held only to move envelopes between the queue and a batch.
 */
final class InstanceLane {

    /** Envelopes that wait beyond this are refused: the instance's RabbitMQ route is not keeping up. */
    static final int WAITING_AT_MOST = 1024;
    /** One message carries at most this many envelopes, or about this many bytes. */
    static final int BATCH_AT_MOST = 256;
    static final int BATCH_BYTES_AT_MOST = 512 * 1024;

    /** An envelope written as JSON, and what its sender waits on: the confirm of the message that carries it. */
    static final class Pending {
        final byte[] json;
        final CompletableFuture<Void> confirmed = new CompletableFuture<>();

        Pending(byte[] json) {
            this.json = json;
        }
    }

    /** Sends one message that carries these envelopes (each written as JSON); completes on its confirm. */
    interface Publisher {
        Uni<Void> publish(List<byte[]> envelopes);
    }

    private final Publisher publisher;
    private final Consumer<InstanceLane> retire;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** Guarded by this: a message of this lane awaits its confirm; the lane took its last envelope. */
    private boolean publishing;
    private boolean retired;

    /** {@code retire} forgets the lane once it has nothing left to publish. */
    InstanceLane(Publisher publisher, Consumer<InstanceLane> retire) {
        this.publisher = publisher;
        this.retire = retire;
    }

    /**
     * Queues the envelope, or fails it at once when too many wait already; false when the lane had retired and
     * the envelope must go to a new one.
     */
    boolean offer(Pending pending) {
        List<Pending> batch;
        synchronized (this) {
            if (retired) {
                return false;
            }
            if (waiting.size() >= WAITING_AT_MOST) {
                pending.confirmed.completeExceptionally(new IllegalStateException(
                        WAITING_AT_MOST + " envelopes already wait for this instance's route"));
                return true;
            }
            waiting.add(pending);
            if (publishing) {
                return true;
            }
            publishing = true;
            batch = takeBatch();
        }
        publish(batch);
        return true;
    }

    /** Takes a waiting envelope back, if it was not taken into a message yet: then it is never published. */
    synchronized boolean withdraw(Pending pending) {
        return waiting.remove(pending);
    }

    private void publish(List<Pending> batch) {
        Uni<Void> sent;
        try {
            sent = publisher.publish(batch.stream().map(pending -> pending.json).toList());
        } catch (RuntimeException e) {
            // failed like a publish, or the lane would stay busy and hold every later envelope until it timed out
            sent = Uni.createFrom().failure(e);
        }
        sent.subscribe().with(ok -> {
            batch.forEach(pending -> pending.confirmed.complete(null));
            next();
        }, failure -> {
            batch.forEach(pending -> pending.confirmed.completeExceptionally(failure));
            next();
        });
    }

    private void next() {
        List<Pending> batch = null;
        synchronized (this) {
            if (waiting.isEmpty()) {
                publishing = false;
                retired = true;
            } else {
                batch = takeBatch();
            }
        }
        if (batch == null) {
            retire.accept(this);
        } else {
            publish(batch);
        }
    }

    /** Caller holds the lock; the queue is not empty. */
    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), BATCH_AT_MOST));
        int bytes = 0;
        while (!waiting.isEmpty() && batch.size() < BATCH_AT_MOST
                && (batch.isEmpty() || bytes + waiting.peek().json.length <= BATCH_BYTES_AT_MOST)) {
            Pending next = waiting.poll();
            bytes += next.json.length + 1;
            batch.add(next);
        }
        return batch;
    }
}
