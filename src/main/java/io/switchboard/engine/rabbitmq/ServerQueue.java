package io.switchboard.engine.rabbitmq;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.switchboard.broker.Envelope;
import io.switchboard.broker.InboundHandler;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.room.Inbox;

/**
 * What RabbitMQ delivers to this instance: its own queue (bound to {@code server.<id>}), and its share of the
 * unroutable queue, where the exchange's alternate exchange puts messages for instances that are gone. A direct
 * message found there is kept in its recipient's inbox, never dropped and never requeued.
 */
@ApplicationScoped
public class ServerQueue {

    private static final Logger LOG = Logger.getLogger(ServerQueue.class);

    private final InboundHandler inbound;
    private final Inbox inbox;
    private final ObjectMapper mapper;

    ServerQueue(InboundHandler inbound, Inbox inbox, ObjectMapper mapper) {
        this.inbound = inbound;
        this.inbox = inbox;
        this.mapper = mapper;
    }

    /** Arguments of the topic exchange, the same for every channel that declares it. */
    @Produces
    @Identifier("switchboard-exchange")
    Map<String, Object> exchangeArguments(SwitchboardConfig config) {
        return Map.of("alternate-exchange", config.rabbitmq().exchange() + ".unroutable");
    }

    @Incoming("server-in")
    public void receive(String json) {
        inbound.onEnvelope(read(json));
    }

    @Incoming("unroutable")
    public Uni<Void> unroutable(String json) {
        if (read(json) instanceof Envelope.Direct direct && direct.forRecipient()) {
            return inbox.store(direct.message());
        }
        return Uni.createFrom().voidItem();
    }

    private Envelope read(String json) {
        try {
            return mapper.readValue(json, Envelope.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("unreadable envelope rejected: %s", e.getOriginalMessage());
            throw new IllegalArgumentException("unreadable envelope", e);
        }
    }
}
