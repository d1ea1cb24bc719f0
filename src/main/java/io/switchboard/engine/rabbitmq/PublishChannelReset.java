package io.switchboard.engine.rabbitmq;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.NoOpMetricsCollector;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * Keeps publisher confirms coming on the {@value ServerRoute#CHANNEL} channel after RabbitMQ closed its AMQP
 * channel (a publish to a deleted exchange does). The client then opens a new channel on the same connection
 * without the confirm listener, so every later publish goes unconfirmed: each direct message waits out the
 * confirm timeout and goes to the inbox, until a restart. Watching the connection (the client's metrics hook is
 * the one place it shows), this aborts a connection as soon as it opens a second channel; the client's next
 * publish finds it closed and reconnects in full, which declares the exchange and sets up confirms again.
 */
@ApplicationScoped
class PublishChannelReset implements ClientCustomizer<RabbitMQOptions> {

    private static final Logger LOG = Logger.getLogger(PublishChannelReset.class);

    @Override
    public RabbitMQOptions customize(String channel, Config channelConfig, RabbitMQOptions options) {
        return ServerRoute.CHANNEL.equals(channel) ? options.setMetricsCollector(new ChannelWatch()) : options;
    }

    /** The client's connections, one at a time, and how many channels the current one opened. */
    private static final class ChannelWatch extends NoOpMetricsCollector {

        private Connection current;
        private int channels;

        @Override
        public synchronized void newConnection(Connection connection) {
            current = connection;
            channels = 0;
        }

        @Override
        public void newChannel(Channel channel) {
            Connection connection = channel.getConnection();
            synchronized (this) {
                if (connection != current || ++channels < 2) {
                    return;
                }
            }
            LOG.warnf("RabbitMQ closed the channel of %s (was its exchange deleted?): reconnecting", ServerRoute.CHANNEL);
            // not from within the client's own call
            CompletableFuture.runAsync(() -> connection.abort(1000));
        }
    }
}
