package io.switchboard.engine.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;
import io.switchboard.bus.Envelope;
import io.switchboard.config.SwitchboardConfig;

/**
 * This instance's share of the undelivered queue ({@link InstanceQueues}): messages whose instance was gone, each
 * envelope handed on as undelivered (a direct message routed again or kept in the inbox). A message is
 * acknowledged only once each of its envelopes was handled, or parked: an envelope whose handling fails (Redis
 * down while it is routed again, say) is tried again with growing pauses, up to 5 s apart, for
 * {@code rabbitmq.undelivered-retry-for}, the message staying unacknowledged meanwhile so that, should this
 * instance die, RabbitMQ hands it to another; past that, what is left of it goes to {@link ParkedEnvelopes} for
 * an operator. Messages are handled one at a time: while one is retried, the others wait in RabbitMQ, where the
 * other instances take them.
 */
@ApplicationScoped
class UndeliveredQueue {

    private static final Logger LOG = Logger.getLogger(UndeliveredQueue.class);
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private final RabbitInstanceRoute route;
    private final ParkedEnvelopes parking;
    private final Duration retryFor;

    UndeliveredQueue(RabbitInstanceRoute route, ParkedEnvelopes parking, SwitchboardConfig config) {
        this.route = route;
        this.parking = parking;
        this.retryFor = config.rabbitmq().undeliveredRetryFor();
    }

    @Incoming("unroutable")
    public Uni<Void> receive(Message<String> message) {
        String routingKey = message.getMetadata(IncomingRabbitMQMetadata.class)
                .map(IncomingRabbitMQMetadata::getRoutingKey).orElse(null);
        String lostInstance = InstanceQueues.instanceOf(routingKey);
        List<Envelope> envelopes;
        try {
            envelopes = route.readAll(message.getPayload());
        } catch (IllegalArgumentException unreadable) {
            return park(message, routingKey, message.getPayload().getBytes(StandardCharsets.UTF_8), 1,
                    "unreadable envelope");
        }
        long deadline = System.currentTimeMillis() + retryFor.toMillis();
        int[] handled = { 0 };
        boolean[] failedBefore = { false };
        return InstanceQueues.inOrder(envelopes, envelope -> Uni.createFrom()
                .deferred(() -> route.undelivered(envelope, lostInstance))
                .onFailure().invoke(failure -> logFailure(lostInstance, failure, failedBefore))
                .onFailure().retry().withBackOff(FIRST_RETRY, LAST_RETRY).expireAt(deadline)
                .invoke(() -> handled[0]++))
                .onItemOrFailure().transformToUni((ok, failure) -> {
                    if (failure == null) {
                        return Uni.createFrom().completionStage(message.ack());
                    }
                    List<Envelope> left = envelopes.subList(handled[0], envelopes.size());
                    // past the deadline Mutiny says "retries exhausted" and keeps the last failure as the cause
                    String because = String.valueOf((failure.getCause() != null ? failure.getCause() : failure).getMessage());
                    LOG.errorf("%d undelivered envelopes for %s still failed after %s: parking them (%s)", left.size(),
                            lostInstance, retryFor, because);
                    return park(message, routingKey, route.write(left), left.size(), because);
                });
    }

    /** The first failure of a message is a warning; its retries' failures are not news. */
    private void logFailure(String lostInstance, Throwable failure, boolean[] failedBefore) {
        if (failedBefore[0]) {
            LOG.debugf("an undelivered envelope for %s failed again: %s", lostInstance, failure.getMessage());
        } else {
            failedBefore[0] = true;
            LOG.warnf("an undelivered envelope for %s failed (%s): retrying it for up to %s", lostInstance,
                    failure.getMessage(), retryFor);
        }
    }

    /** Acknowledged once parked; if even parking fails, RabbitMQ takes it back, to be tried again from the start. */
    private Uni<Void> park(Message<String> message, String routingKey, byte[] body, int envelopes, String because) {
        return parking.park(routingKey, body, envelopes, because)
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.errorf("an undelivered message for %s could not be parked, back to its queue: %s",
                            InstanceQueues.instanceOf(routingKey), failure.getMessage());
                    return Uni.createFrom().completionStage(
                            message.nack(failure, Metadata.of(new RabbitMQRejectMetadata(true))));
                });
    }
}
