package io.switchboard.engine.rabbitmq;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.switchboard.broker.Envelope;
import io.switchboard.config.SwitchboardConfig;

/**
 * Sends envelopes to one instance's queue through the {@value #CHANNEL} channel (application.properties): the
 * topic exchange, routing key {@code server.<id>} set per message, publisher confirms on, with the connection
 * settings of the messaging connector. The returned Uni completes on the broker's confirm, so "sent" means
 * RabbitMQ has it; a confirm that does not come within {@code rabbitmq.confirm-timeout} fails it, and the
 * message is then withdrawn unless the connector already took it ({@link AbandonedSends}). Only the distributed
 * engine resolves this bean: the channel is disabled on the memory engine.
 */
@ApplicationScoped
public class ServerRoute {

    static final String CHANNEL = "server-out";
    static final String ROUTING_PREFIX = "server.";
    private static final Logger LOG = Logger.getLogger(ServerRoute.class);

    private final MutinyEmitter<byte[]> out;
    private final ObjectMapper mapper;
    private final Duration confirmTimeout;

    /** Messages wait here, still withdrawable, while the connector's in-flight bound is full. */
    static final int QUEUED_AT_MOST = 1024;

    ServerRoute(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = QUEUED_AT_MOST)
            MutinyEmitter<byte[]> out, ObjectMapper mapper, SwitchboardConfig config) {
        this.out = out;
        this.mapper = mapper;
        this.confirmTimeout = config.rabbitmq().confirmTimeout();
    }

    public Uni<Void> send(String serverId, Envelope envelope) {
        SendClaim claim = new SendClaim();
        OutgoingRabbitMQMetadata routing = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(ROUTING_PREFIX + serverId)
                // text/plain: the consuming channel hands the payload over as a String
                .withContentType("text/plain")
                .withDeliveryMode(2)
                .build();
        return Uni.createFrom().deferred(() -> out.sendMessage(Message.of(write(envelope), Metadata.of(routing, claim))))
                .ifNoItem().after(confirmTimeout).failWith(() -> unconfirmed(serverId, claim));
    }

    private TimeoutException unconfirmed(String serverId, SendClaim claim) {
        if (!claim.abandon()) {
            // already handed to the connector: RabbitMQ may still route it after the caller kept it elsewhere
            LOG.debugf("an envelope for %s was not confirmed in %s and may arrive late", serverId, confirmTimeout);
        }
        return new TimeoutException("RabbitMQ did not confirm within " + confirmTimeout);
    }

    private byte[] write(Envelope envelope) {
        try {
            return mapper.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
