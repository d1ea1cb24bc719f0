package io.switchboard.engine.rabbitmq;

import java.util.List;
import java.util.concurrent.CancellationException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.SubscriberDecorator;

/**
 * Stands where the RabbitMQ connector takes messages off the outgoing channel: a message whose sender already
 * gave up waiting (and kept it in the inbox instead) is dropped here, before it can be published late. Past
 * this point the connector can no longer be stopped, which is why its in-flight bound is kept small.
 */
@ApplicationScoped
class AbandonedSends implements SubscriberDecorator {

    @Override
    public Multi<? extends Message<?>> decorate(Multi<? extends Message<?>> toBeSubscribed, List<String> channels,
            boolean isConnector) {
        if (!isConnector || !channels.contains(RabbitInstanceRoute.CHANNEL)) {
            return toBeSubscribed;
        }
        return toBeSubscribed.filter(message -> {
            SendClaim claim = message.getMetadata(SendClaim.class).orElse(null);
            if (claim == null || claim.take()) {
                return true;
            }
            message.nack(new CancellationException("its sender gave up waiting for the broker"));
            return false;
        });
    }
}
