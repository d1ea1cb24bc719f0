package io.switchboard.engine.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

/**
 * One connection of the RabbitMQ Java client and the one thread that uses it, for what the messaging connector
 * cannot do (declare again what was deleted, park a message): the client blocks, so it never runs on an event
 * loop. The connection and its channel, in confirm mode, are opened when a task needs them and opened again
 * after they failed (a passive declaration of something missing closes the channel).
 */
final class BrokerLink {

    private static final Logger LOG = Logger.getLogger(BrokerLink.class);

    /** Work on the link's channel, on its thread. */
    interface Task<T> {
        T run(BrokerLink link) throws IOException, TimeoutException, InterruptedException;
    }

    private final ConnectorSettings broker;
    private final String name;
    private final ScheduledExecutorService thread;
    // confined to the thread
    private Connection connection;
    private Channel channel;

    BrokerLink(ConnectorSettings broker, String name) {
        this.broker = broker;
        this.name = name;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread named = new Thread(task, name);
            named.setDaemon(true);
            return named;
        });
    }

    /** Runs the task on the link's thread; it fails as the task did. */
    <T> CompletableFuture<T> call(Task<T> task) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            thread.execute(() -> run(task, done));
        } catch (RejectedExecutionException stopped) {
            done.completeExceptionally(stopped);
        }
        return done;
    }

    /**
     * Runs the task every {@code period} after the previous run ended (an unreachable broker makes runs long, not
     * many); a failure is logged and the next run tries again.
     */
    void every(Duration period, Task<?> task) {
        thread.scheduleWithFixedDelay(() -> run(task, new CompletableFuture<>()).exceptionally(failure -> {
            LOG.debugf("%s: %s", name, failure.getMessage());
            return null;
        }), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> CompletableFuture<T> run(Task<T> task, CompletableFuture<T> done) {
        try {
            done.complete(task.run(this));
        } catch (IOException | TimeoutException | RuntimeException e) {
            dropChannelIfClosed();
            done.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        }
        return done;
    }

    /** The open channel, opened (with its connection) if needed. Only from a task. */
    Channel channel() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            close();
            connection = broker.open(name);
        }
        if (channel == null || !channel.isOpen()) {
            channel = connection.createChannel();
            channel.confirmSelect();
        }
        return channel;
    }

    void stop() {
        thread.execute(this::close);
        thread.shutdown();
    }

    private void dropChannelIfClosed() {
        if (channel != null && !channel.isOpen()) {
            channel = null;
        }
    }

    private void close() {
        channel = null;
        if (connection != null) {
            try {
                connection.close(1000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing %s: %s", name, e.getMessage());
            }
        }
        connection = null;
    }
}
