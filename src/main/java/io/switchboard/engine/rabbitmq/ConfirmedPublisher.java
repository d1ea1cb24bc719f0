package io.switchboard.engine.rabbitmq;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ShutdownSignalException;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Publishes to one exchange with publisher confirms, on the RabbitMQ Java client directly. Why not the messaging
 * connector's emitter: it publishes one message at a time per channel through a worker thread and back, and hands
 * every confirm to a single event-loop context; under a cross-instance direct-message load that queueing was the
 * latency tail (bench/, README). Here one thread writes every message in order (a socket write never runs on an
 * event loop), confirms are matched by sequence number, and each sender resumes on its own event loop.
 */
final class ConfirmedPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfirmedPublisher.class);
    /** After a failed connection attempt, sends fail at once for this long instead of each trying again. */
    private static final long RECONNECT_PAUSE_MS = 2000;

    private final ConnectionFactory factory;
    private final String exchange;
    /** One thread: messages go out in the order they were sent. */
    private final ExecutorService writer;
    // confined to the writer thread
    private Connection connection;
    private ConfirmedChannel current;
    private long nextAttemptAt;

    ConfirmedPublisher(ConnectionFactory factory, String exchange) {
        this(factory, exchange, Executors.newSingleThreadExecutor(ConfirmedPublisher::writerThread));
    }

    ConfirmedPublisher(ConnectionFactory factory, String exchange, ExecutorService writer) {
        this.factory = factory;
        this.exchange = exchange;
        this.writer = writer;
    }

    private static Thread writerThread(Runnable task) {
        Thread thread = new Thread(task, "switchboard-publisher");
        thread.setDaemon(true);
        return thread;
    }

    /** Completes once RabbitMQ confirmed the message; fails if it refused it or the connection is lost. */
    Uni<Void> publish(String routingKey, AMQP.BasicProperties properties, byte[] body) {
        return Uni.createFrom().emitter(emitter -> {
            Pending pending = new Pending(emitter, Vertx.currentContext());
            // a sender that gave up (timed out) has kept its message another way: it must not be published late
            emitter.onTermination(pending::settle);
            writer.execute(() -> write(routingKey, properties, body, pending));
        });
    }

    private void write(String routingKey, AMQP.BasicProperties properties, byte[] body, Pending pending) {
        if (pending.settled()) {
            return;
        }
        try {
            channel().publish(routingKey, properties, body, pending);
        } catch (IOException | TimeoutException | RuntimeException e) {
            pending.fail(e);
        }
    }

    private ConfirmedChannel channel() throws IOException, TimeoutException {
        if (current != null && current.channel.isOpen()) {
            return current;
        }
        if (System.currentTimeMillis() < nextAttemptAt) {
            throw new IOException("RabbitMQ unreachable, next connection attempt in a moment");
        }
        nextAttemptAt = System.currentTimeMillis() + RECONNECT_PAUSE_MS;
        closeQuietly();
        connection = factory.newConnection("switchboard-publisher");
        current = new ConfirmedChannel(connection.createChannel());
        LOG.infof("publishing to RabbitMQ exchange %s", exchange);
        return current;
    }

    /** One channel and the messages written on it that wait for their confirm, by publish sequence number. */
    private final class ConfirmedChannel implements ConfirmListener {

        private final Channel channel;
        private final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();

        ConfirmedChannel(Channel channel) throws IOException {
            this.channel = channel;
            channel.confirmSelect();
            channel.addConfirmListener(this);
            channel.addShutdownListener(this::lost);
        }

        void publish(String routingKey, AMQP.BasicProperties properties, byte[] body, Pending pending)
                throws IOException {
            long sequence = channel.getNextPublishSeqNo();
            unconfirmed.put(sequence, pending);
            try {
                channel.basicPublish(exchange, routingKey, properties, body);
            } catch (IOException | RuntimeException e) {
                unconfirmed.remove(sequence);
                throw e;
            }
        }

        @Override
        public void handleAck(long sequence, boolean multiple) {
            settle(sequence, multiple, null);
        }

        @Override
        public void handleNack(long sequence, boolean multiple) {
            settle(sequence, multiple, new IOException("RabbitMQ refused the message"));
        }

        private void settle(long sequence, boolean multiple, Exception failure) {
            Map<Long, Pending> settled = multiple ? unconfirmed.headMap(sequence, true)
                    : unconfirmed.subMap(sequence, true, sequence, true);
            for (Long each : settled.keySet()) {
                Pending pending = unconfirmed.remove(each);
                if (pending != null && failure == null) {
                    pending.complete();
                } else if (pending != null) {
                    pending.fail(failure);
                }
            }
        }

        /** The channel or its connection went away: nothing written on it will be confirmed any more. */
        private void lost(ShutdownSignalException cause) {
            if (!cause.isInitiatedByApplication()) {
                LOG.warnf("RabbitMQ publishing channel lost: %s", cause.getMessage());
            }
            settle(Long.MAX_VALUE, true, cause);
        }
    }

    /** A sender waiting for its confirm, resumed on the Vert.x context it sent from. */
    private static final class Pending {

        private final UniEmitter<? super Void> emitter;
        private final Context context;
        private volatile boolean settled;

        Pending(UniEmitter<? super Void> emitter, Context context) {
            this.emitter = emitter;
            this.context = context;
        }

        void settle() {
            settled = true;
        }

        boolean settled() {
            return settled;
        }

        void complete() {
            resume(() -> emitter.complete(null));
        }

        void fail(Throwable failure) {
            resume(() -> emitter.fail(failure));
        }

        private void resume(Runnable action) {
            settled = true;
            if (context == null) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }
    }

    @Override
    public void close() {
        writer.execute(this::closeQuietly);
        writer.shutdown();
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close(1000);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing the publishing connection: %s", e.getMessage());
            }
        }
        connection = null;
        current = null;
    }
}
