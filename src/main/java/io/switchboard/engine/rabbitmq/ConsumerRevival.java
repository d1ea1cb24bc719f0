package io.switchboard.engine.rabbitmq;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.PublisherDecorator;

/**
 * Starts a consuming channel's RabbitMQ consumer again when RabbitMQ cancelled it. A queue deleted under a
 * consumer (an operator, a policy, an expiry) cancels it; the connector then ends the channel's stream for good
 * (cancelling the consumer once more fails with "Unknown consumerTag") and the instance would take nothing more
 * until restarted. Subscribing to the connector's stream again makes it consume anew on its open connection;
 * should the queue still be missing, that consume fails, and the client reconnects, which declares the queue and
 * its bindings again (as {@link RouteRepair} does meanwhile). Unacknowledged messages of the old consumer went
 * with the queue or back into it: none is handled twice because of this.
 */
@ApplicationScoped
class ConsumerRevival implements PublisherDecorator {

    private static final Logger LOG = Logger.getLogger(ConsumerRevival.class);
    private static final Set<String> CONSUMING = Set.of("instance-in", "unroutable");
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofSeconds(5);

    @Override
    public Multi<? extends Message<?>> decorate(Multi<? extends Message<?>> publisher, List<String> channels,
            boolean isConnector) {
        if (!isConnector || channels.stream().noneMatch(CONSUMING::contains)) {
            return publisher;
        }
        return publisher
                .onCompletion().failWith(() -> new IllegalStateException("RabbitMQ ended the consumer"))
                .onFailure().invoke(failure -> LOG.warnf("the consumer of %s stopped (%s): consuming again",
                        channels, failure.getMessage()))
                .onFailure().retry().withBackOff(FIRST_RETRY, LAST_RETRY).indefinitely();
    }
}
