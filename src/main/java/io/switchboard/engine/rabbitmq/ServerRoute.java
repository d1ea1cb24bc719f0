package io.switchboard.engine.rabbitmq;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import io.switchboard.metrics.ChatMetrics;

/**
 * Sends envelopes to one instance's queue through the {@value #CHANNEL} channel (application.properties): the
 * topic exchange, routing key {@code server.<id>} set per message, publisher confirms on, with the connection
 * settings of the messaging connector. Envelopes for the same instance share a message when they come faster
 * than confirms do ({@link InstanceLane}). The returned Uni completes on the broker's confirm, so "sent" means
 * RabbitMQ has it; a confirm that does not come within {@code rabbitmq.confirm-timeout} fails it, and the
 * envelope is then withdrawn unless it was already taken into a message the connector took ({@link AbandonedSends}).
 * A message whose channel RabbitMQ closed (a deleted exchange) fails at once: its confirm will not come
 * ({@link PublishChannelReset}).
 * Only the distributed engine resolves this bean: the channel is disabled on the memory engine.
 */
@ApplicationScoped
public class ServerRoute {

    static final String CHANNEL = "server-out";
    static final String ROUTING_PREFIX = "server.";
    private static final Logger LOG = Logger.getLogger(ServerRoute.class);

    private final MutinyEmitter<byte[]> out;
    private final ObjectMapper mapper;
    private final Duration confirmTimeout;
    private final ChatMetrics metrics;
    private final PublishChannelReset channels;
    private final Map<String, InstanceLane> lanes = new ConcurrentHashMap<>();

    /** Messages wait here, still withdrawable, while the connector's in-flight bound is full: one per lane at most. */
    static final int QUEUED_AT_MOST = 1024;

    ServerRoute(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = QUEUED_AT_MOST)
            MutinyEmitter<byte[]> out, ObjectMapper mapper, SwitchboardConfig config, ChatMetrics metrics,
            PublishChannelReset channels) {
        this.out = out;
        this.channels = channels;
        this.mapper = mapper;
        this.confirmTimeout = config.rabbitmq().confirmTimeout();
        this.metrics = metrics;
    }

    /**
     * Completes once a confirmed message carries the envelope ({@link InstanceLane}). Each envelope has the whole
     * confirm timeout, counted from this call: one that is still waiting for its lane then is withdrawn, never
     * published.
     */
    public Uni<Void> send(String serverId, Envelope envelope) {
        return Uni.createFrom().deferred(() -> {
            InstanceLane.Pending pending = new InstanceLane.Pending(write(envelope));
            InstanceLane lane = enqueue(serverId, pending);
            return Uni.createFrom().completionStage(pending.confirmed)
                    .ifNoItem().after(confirmTimeout).failWith(() -> unconfirmed(serverId, lane.withdraw(pending)));
        });
    }

    /** Hands the envelope to the instance's lane; one that retired just now is replaced here, not waited for. */
    private InstanceLane enqueue(String serverId, InstanceLane.Pending pending) {
        InstanceLane lane = lanes.computeIfAbsent(serverId, this::newLane);
        while (!lane.offer(pending)) {
            InstanceLane retired = lane;
            lane = lanes.compute(serverId,
                    (id, current) -> current == null || current == retired ? newLane(id) : current);
        }
        return lane;
    }

    private InstanceLane newLane(String serverId) {
        return new InstanceLane((body, envelopes) -> publish(serverId, body, envelopes),
                retired -> lanes.remove(serverId, retired));
    }

    /** One message to the instance's queue; its own confirm timeout frees the lane even if a confirm never comes. */
    private Uni<Void> publish(String serverId, byte[] body, int envelopes) {
        metrics.routedToInstance(envelopes);
        SendClaim claim = new SendClaim();
        OutgoingRabbitMQMetadata routing = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(ROUTING_PREFIX + serverId)
                // text/plain: the consuming channel hands the payload over as a String
                .withContentType("text/plain")
                .withDeliveryMode(2)
                .build();
        Uni<Void> channelLost = Uni.createFrom().emitter(waiting -> {
            Runnable fail = () -> waiting.fail(unconfirmed(serverId, claim.abandon(), "its channel closed before the confirm"));
            waiting.onTermination(() -> channels.forget(fail));
            channels.onChannelLost(fail);
        });
        Uni<Void> confirmed = Uni.createFrom().deferred(() -> out.sendMessage(Message.of(body, Metadata.of(routing, claim))));
        return Uni.combine().any().of(confirmed, channelLost)
                .ifNoItem().after(confirmTimeout).failWith(() -> unconfirmed(serverId, claim.abandon()));
    }

    private TimeoutException unconfirmed(String serverId, boolean withdrawn) {
        return unconfirmed(serverId, withdrawn, "RabbitMQ did not confirm within " + confirmTimeout);
    }

    private TimeoutException unconfirmed(String serverId, boolean withdrawn, String why) {
        if (!withdrawn) {
            // already handed to the connector: RabbitMQ may still route it after the caller kept it elsewhere
            LOG.debugf("an envelope for %s was not confirmed (%s) and may arrive late", serverId, why);
        }
        return new TimeoutException(why);
    }

    private byte[] write(Envelope envelope) {
        try {
            return mapper.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
