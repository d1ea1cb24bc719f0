package io.switchboard.engine.rabbitmq;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.switchboard.bus.ControlHandler;
import io.switchboard.bus.DirectHandler;
import io.switchboard.bus.Envelope;
import io.switchboard.bus.InstanceRoute;
import io.switchboard.bus.UnroutableException;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.engine.redis.ClusterLiveness;
import io.switchboard.metrics.ChatMetrics;

/**
 * Envelopes to one instance over RabbitMQ, and the one owner of their format: an envelope is a JSON object,
 * several carried by one message a JSON array of them. Sending refuses at once an instance with no heartbeat;
 * otherwise the envelope goes through the {@value #CHANNEL} channel (application.properties): the topic exchange,
 * routing key {@code server.<id>} set per message, publisher confirms on. Envelopes for the same instance share a
 * message when they come faster than confirms do ({@link InstanceLane}). The returned Uni completes on the
 * broker's confirm, so "sent" means RabbitMQ has it; a confirm that does not come within
 * {@code rabbitmq.confirm-timeout} fails it, and the envelope is then withdrawn unless it was already taken into a
 * message the connector took ({@link AbandonedSends}). A message whose channel RabbitMQ closed (a deleted exchange)
 * fails at once: its confirm will not come ({@link PublishChannelReset}). Should the instance die after the
 * send, the exchange's alternate route still keeps a direct message ({@link UndeliveredQueue}).
 * <p>
 * What arrives in this instance's queue goes to the handler of its kind, waiting for it to be registered (messages
 * already in the queue at start come before the handlers do). Only the distributed engine resolves this bean:
 * the channels are disabled on the memory engine.
 */
@ApplicationScoped
@Typed(RabbitInstanceRoute.class)
public class RabbitInstanceRoute implements InstanceRoute {

    static final String CHANNEL = "instance-out";
    /** Messages wait here, still withdrawable, while the connector's in-flight bound is full: one per lane at most. */
    static final int QUEUED_AT_MOST = 1024;
    private static final Logger LOG = Logger.getLogger(RabbitInstanceRoute.class);
    /** A list rather than an array: a native image instantiates no array type it was not told of. */
    private static final TypeReference<List<Envelope>> ENVELOPES = new TypeReference<>() {
    };

    private final MutinyEmitter<byte[]> out;
    private final ObjectMapper mapper;
    private final ClusterLiveness liveness;
    private final Duration confirmTimeout;
    private final ChatMetrics metrics;
    private final PublishChannelReset channels;
    private final Map<String, InstanceLane> lanes = new ConcurrentHashMap<>();
    private final Registered<DirectHandler> directs = new Registered<>();
    private final Registered<ControlHandler> control = new Registered<>();

    RabbitInstanceRoute(
            @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = QUEUED_AT_MOST)
            MutinyEmitter<byte[]> out, ObjectMapper mapper, ClusterLiveness liveness, SwitchboardConfig config,
            ChatMetrics metrics, PublishChannelReset channels) {
        this.out = out;
        this.mapper = mapper;
        this.liveness = liveness;
        this.channels = channels;
        this.confirmTimeout = config.rabbitmq().confirmTimeout();
        this.metrics = metrics;
    }

    @Override
    public void handle(DirectHandler handler) {
        directs.set(handler);
    }

    @Override
    public void handle(ControlHandler handler) {
        control.set(handler);
    }

    /**
     * Completes once a confirmed message carries the envelope. Each envelope has the whole confirm timeout, counted
     * once the instance was found live: one that is still waiting for its lane then is withdrawn, never published.
     */
    @Override
    public Uni<Void> send(String instanceId, Envelope envelope) {
        return liveness.isLive(instanceId).chain(live -> live
                ? publish(instanceId, envelope).onFailure().invoke(() -> metrics.backendFailure("rabbitmq"))
                : Uni.createFrom().failure(new UnroutableException(instanceId)));
    }

    /**
     * Starts handling every envelope of the message, in order (a direct message is written to the devices at once),
     * and returns without waiting for them: one device that does not read holds up no other. The message is
     * acknowledged once every envelope was settled (a direct message proven read or stored), nacked if one failed,
     * which dead-letters the whole message: its envelopes are then handled as undelivered, those handled already a
     * second time (at least once, never lost). Until then it counts against the channel's
     * {@code max-outstanding-messages}, so a backlog waits in the queue, where its TTL and the takeover apply.
     */
    @Incoming("instance-in")
    public Uni<Void> receive(Message<String> message) {
        List<Envelope> envelopes;
        try {
            envelopes = readAll(message.getPayload());
        } catch (IllegalArgumentException unreadable) {
            return Uni.createFrom().completionStage(message.nack(unreadable));
        }
        List<Uni<Void>> settled = envelopes.stream().map(this::arrived).toList();
        Uni<Void> all = settled.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(settled).andCollectFailures().replaceWithVoid();
        all.subscribe().with(ok -> message.ack(), failure -> message.nack(failure));
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> arrived(Envelope envelope) {
        if (envelope instanceof Envelope.Direct direct) {
            return directs.get().chain(handler -> handler.receive(direct));
        }
        return control.get().invoke(handler -> handler.apply(envelope)).replaceWithVoid();
    }

    /**
     * An envelope its instance ({@code lostInstance}; null when unknown) never took: a direct message goes to the
     * direct handler; a control envelope concerned connections that are gone too.
     */
    Uni<Void> undelivered(Envelope envelope, String lostInstance) {
        if (envelope instanceof Envelope.Direct direct) {
            return directs.get().chain(handler -> handler.undelivered(direct, lostInstance));
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> publish(String instanceId, Envelope envelope) {
        return Uni.createFrom().deferred(() -> {
            InstanceLane.Pending pending = new InstanceLane.Pending(write(envelope));
            InstanceLane lane = enqueue(instanceId, pending);
            return Uni.createFrom().completionStage(pending.confirmed)
                    .ifNoItem().after(confirmTimeout).failWith(() -> unconfirmed(instanceId, lane.withdraw(pending)));
        });
    }

    /** Hands the envelope to the instance's lane; one that retired just now is replaced here, not waited for. */
    private InstanceLane enqueue(String instanceId, InstanceLane.Pending pending) {
        InstanceLane lane = lanes.computeIfAbsent(instanceId, this::newLane);
        while (!lane.offer(pending)) {
            InstanceLane retired = lane;
            lane = lanes.compute(instanceId,
                    (id, current) -> current == null || current == retired ? newLane(id) : current);
        }
        return lane;
    }

    private InstanceLane newLane(String instanceId) {
        return new InstanceLane(envelopes -> publishMessage(instanceId, envelopes),
                retired -> lanes.remove(instanceId, retired));
    }

    /** One message to the instance's queue; its own confirm timeout frees the lane even if a confirm never comes. */
    private Uni<Void> publishMessage(String instanceId, List<byte[]> envelopes) {
        metrics.routedToInstance(envelopes.size());
        SendClaim claim = new SendClaim();
        OutgoingRabbitMQMetadata routing = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(InstanceQueues.routingKeyOf(instanceId))
                // text/plain: the consuming channel hands the payload over as a String
                .withContentType("text/plain")
                .withDeliveryMode(2)
                .build();
        Uni<Void> channelLost = Uni.createFrom().emitter(waiting -> {
            Runnable fail = () -> waiting.fail(
                    unconfirmed(instanceId, claim.abandon(), "its channel closed before the confirm"));
            waiting.onTermination(() -> channels.forget(fail));
            channels.onChannelLost(fail);
        });
        byte[] body = batch(envelopes);
        Uni<Void> confirmed = Uni.createFrom()
                .deferred(() -> out.sendMessage(Message.of(body, Metadata.of(routing, claim))));
        return Uni.combine().any().of(confirmed, channelLost)
                .ifNoItem().after(confirmTimeout).failWith(() -> unconfirmed(instanceId, claim.abandon()));
    }

    private TimeoutException unconfirmed(String instanceId, boolean withdrawn) {
        return unconfirmed(instanceId, withdrawn, "RabbitMQ did not confirm within " + confirmTimeout);
    }

    private TimeoutException unconfirmed(String instanceId, boolean withdrawn, String why) {
        if (!withdrawn) {
            // already handed to the connector: RabbitMQ may still route it after the caller kept it elsewhere
            LOG.debugf("an envelope for %s was not confirmed (%s) and may arrive late", instanceId, why);
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

    /** Envelopes written as one message carries them: one as it is, several as an array. */
    byte[] write(List<Envelope> envelopes) {
        try {
            return envelopes.size() == 1 ? mapper.writeValueAsBytes(envelopes.get(0))
                    : mapper.writerFor(ENVELOPES).writeValueAsBytes(envelopes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One message's body from envelopes already written: one is sent as it is, several as a JSON array. */
    static byte[] batch(List<byte[]> envelopes) {
        if (envelopes.size() == 1) {
            return envelopes.get(0);
        }
        int length = envelopes.size() + 1;
        for (byte[] json : envelopes) {
            length += json.length;
        }
        byte[] body = new byte[length];
        int at = 0;
        body[at++] = '[';
        for (byte[] json : envelopes) {
            if (at > 1) {
                body[at++] = ',';
            }
            System.arraycopy(json, 0, body, at, json.length);
            at += json.length;
        }
        body[at] = ']';
        return body;
    }

    /** The envelopes a message carries: one JSON envelope, or an array of them. */
    List<Envelope> readAll(String json) {
        try {
            if (json.startsWith("[")) {
                return mapper.readValue(json, ENVELOPES);
            }
            return List.of(mapper.readValue(json, Envelope.class));
        } catch (JsonProcessingException e) {
            LOG.warnf("unreadable envelope rejected: %s", e.getOriginalMessage());
            throw new IllegalArgumentException("unreadable envelope", e);
        }
    }

    /** A handler, and what waits for its first registration. */
    private static final class Registered<T> {
        private final CompletableFuture<T> first = new CompletableFuture<>();
        private volatile T current;

        void set(T handler) {
            current = handler;
            first.complete(handler);
        }

        Uni<T> get() {
            T now = current;
            return now != null ? Uni.createFrom().item(now)
                    : Uni.createFrom().completionStage(first).map(ignored -> current);
        }
    }
}
