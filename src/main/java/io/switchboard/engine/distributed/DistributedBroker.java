package io.switchboard.engine.distributed;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import io.smallrye.mutiny.Uni;
import io.switchboard.broker.Broker;
import io.switchboard.broker.Envelope;
import io.switchboard.broker.InboundHandler;
import io.switchboard.broker.RoomEvent;
import io.switchboard.broker.UnroutableException;
import io.switchboard.engine.InboundRelay;
import io.switchboard.engine.rabbitmq.ServerRoute;
import io.switchboard.engine.redis.ClusterLiveness;
import io.switchboard.engine.redis.RoomChannels;
import io.switchboard.engine.redis.RoomLog;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.RoomMessage;

/** Rooms over Redis (stream + Pub/Sub), messages for one instance over RabbitMQ ({@code server.<id>}). */
@ApplicationScoped
@Typed(DistributedBroker.class)
public class DistributedBroker implements Broker {

    private final RoomLog log;
    private final RoomChannels channels;
    private final ServerRoute route;
    private final ClusterLiveness liveness;
    private final ChatMetrics metrics;
    private final InboundRelay inbound;

    DistributedBroker(RoomLog log, RoomChannels channels, ServerRoute route, ClusterLiveness liveness,
            ChatMetrics metrics, InboundRelay inbound) {
        this.metrics = metrics;
        this.inbound = inbound;
        this.log = log;
        this.channels = channels;
        this.route = route;
        this.liveness = liveness;
    }

    @Override
    public void register(InboundHandler handler) {
        inbound.register(handler);
    }

    @Override
    public Uni<RoomMessage> publish(String room, String from, String body) {
        return log.publish(room, from, body).onFailure().invoke(() -> metrics.backendFailure("redis"));
    }

    @Override
    public Uni<Void> broadcast(RoomEvent event) {
        return log.broadcast(event);
    }

    @Override
    public Uni<Void> subscribe(String room) {
        return channels.subscribe(room);
    }

    @Override
    public Uni<Void> unsubscribe(String room) {
        return channels.unsubscribe(room);
    }

    /**
     * Refuses at once for an instance with no heartbeat; otherwise RabbitMQ takes it, and should the instance
     * die meanwhile, the exchange's alternate route still keeps a direct message in the inbox.
     */
    @Override
    public Uni<Void> send(String serverId, Envelope envelope) {
        return liveness.isLive(serverId).chain(live -> live
                ? route.send(serverId, envelope).onFailure().invoke(() -> metrics.backendFailure("rabbitmq"))
                : Uni.createFrom().failure(new UnroutableException(serverId)));
    }
}
