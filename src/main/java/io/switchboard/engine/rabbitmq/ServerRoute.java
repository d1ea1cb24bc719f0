package io.switchboard.engine.rabbitmq;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.switchboard.broker.Envelope;

/**
 * Sends envelopes to one instance's queue: the topic exchange with routing key {@code server.<id>}. The returned
 * Uni completes on the broker's publisher confirm, so "sent" means RabbitMQ has it. Only the distributed engine
 * resolves this bean: the emitter of a disabled channel fails when used.
 */
@ApplicationScoped
public class ServerRoute {

    static final String ROUTING_PREFIX = "server.";
    private static final int PERSISTENT = 2;
    /** A broker that does not confirm in this time is taken for down: the caller keeps the message another way. */
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(2);

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper mapper;

    ServerRoute(@Channel("server-out") MutinyEmitter<String> emitter, ObjectMapper mapper) {
        this.emitter = emitter;
        this.mapper = mapper;
    }

    public Uni<Void> send(String serverId, Envelope envelope) {
        return Uni.createFrom().item(() -> write(envelope)).chain(json -> emitter.sendMessage(Message.of(json)
                .addMetadata(OutgoingRabbitMQMetadata.builder()
                        .withRoutingKey(ROUTING_PREFIX + serverId)
                        .withContentType("text/plain")
                        .withDeliveryMode(PERSISTENT)
                        .build())))
                .ifNoItem().after(CONFIRM_TIMEOUT).fail();
    }

    private String write(Envelope envelope) {
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
