package io.switchboard.engine.rabbitmq;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;

import io.smallrye.mutiny.Uni;
import io.switchboard.broker.Envelope;
import io.switchboard.config.SwitchboardConfig;

/**
 * Sends envelopes to one instance's queue: the topic exchange with routing key {@code server.<id>}. The returned
 * Uni completes on the broker's publisher confirm, so "sent" means RabbitMQ has it. The exchange is declared by
 * the incoming channels (application.properties). Only the distributed engine resolves this bean.
 */
@ApplicationScoped
public class ServerRoute {

    static final String ROUTING_PREFIX = "server.";
    private static final AMQP.BasicProperties TEXT = new AMQP.BasicProperties.Builder()
            .contentType("text/plain").deliveryMode(2).build();
    /** A broker that does not confirm in this time is taken for down: the caller keeps the message another way. */
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(2);
    private static final int CONNECT_TIMEOUT_MS = 2000;

    private final ObjectMapper mapper;
    private final ConfirmedPublisher publisher;

    ServerRoute(ObjectMapper mapper, SwitchboardConfig config, @ConfigProperty(name = "rabbitmq-host") String host,
            @ConfigProperty(name = "rabbitmq-port") int port, @ConfigProperty(name = "rabbitmq-username") String username,
            @ConfigProperty(name = "rabbitmq-password") String password) {
        this.mapper = mapper;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        factory.setHandshakeTimeout(CONNECT_TIMEOUT_MS);
        // ConfirmedPublisher reconnects on the next send, failing the unconfirmed messages of the lost channel
        factory.setAutomaticRecoveryEnabled(false);
        this.publisher = new ConfirmedPublisher(factory, config.rabbitmq().exchange());
    }

    public Uni<Void> send(String serverId, Envelope envelope) {
        return Uni.createFrom().item(() -> write(envelope))
                .chain(json -> publisher.publish(ROUTING_PREFIX + serverId, TEXT, json))
                .ifNoItem().after(CONFIRM_TIMEOUT).fail();
    }

    @PreDestroy
    void close() {
        publisher.close();
    }

    private byte[] write(Envelope envelope) {
        try {
            return mapper.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
