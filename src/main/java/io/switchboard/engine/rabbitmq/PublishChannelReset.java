package io.switchboard.engine.rabbitmq;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.NoOpMetricsCollector;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * Keeps publisher confirms coming on the {@value RabbitInstanceRoute#CHANNEL} channel after RabbitMQ closed its AMQP
 * channel (a publish to a deleted exchange does). The client then opens a new channel on the same connection
 * without the confirm listener, so every later publish goes unconfirmed: each direct message waits out the
 * confirm timeout and goes to the inbox, until a restart. Watching the channel (the client's metrics hook is the
 * one place its closing shows), this aborts the connection as soon as RabbitMQ closes the channel; the client's
 * next publish finds it closed and reconnects in full, which declares the exchange and sets up confirms again.
 */
@ApplicationScoped
class PublishChannelReset implements ClientCustomizer<RabbitMQOptions> {

    private static final Logger LOG = Logger.getLogger(PublishChannelReset.class);

    /** What waits for a confirm of the channel in use now; run, and forgotten, when a channel closes. */
    private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

    @Override
    public RabbitMQOptions customize(String channel, Config channelConfig, RabbitMQOptions options) {
        return RabbitInstanceRoute.CHANNEL.equals(channel) ? options.setMetricsCollector(new ChannelWatch()) : options;
    }

    /**
     * Runs {@code action} when the publishing channel in use now closes: the confirms it still owes will never
     * come, so a publish waiting for one fails then instead of waiting out its timeout. {@link #forget} it once
     * the confirm came.
     */
    void onChannelLost(Runnable action) {
        waiting.add(action);
    }

    void forget(Runnable action) {
        waiting.remove(action);
    }

    private void lost() {
        for (Runnable action : List.copyOf(waiting)) {
            if (waiting.remove(action)) {
                action.run();
            }
        }
    }

    /** Aborts the connection of a channel RabbitMQ closed alone (a channel error): the connection still looks fine. */
    private final class ChannelWatch extends NoOpMetricsCollector {

        @Override
        public void newChannel(Channel channel) {
            channel.addShutdownListener(closed -> {
                lost();
                Connection connection = channel.getConnection();
                if (closed.isHardError() || closed.isInitiatedByApplication() || !connection.isOpen()) {
                    return;
                }
                LOG.warnf("RabbitMQ closed the channel of %s (%s): reconnecting", RabbitInstanceRoute.CHANNEL,
                        closed.getMessage());
                // not from within the client's own call
                CompletableFuture.runAsync(() -> connection.abort(1000));
            });
        }
    }
}
