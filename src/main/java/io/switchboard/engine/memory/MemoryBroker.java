package io.switchboard.engine.memory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.switchboard.broker.Broker;
import io.switchboard.broker.Envelope;
import io.switchboard.broker.InboundHandler;
import io.switchboard.broker.RoomEvent;
import io.switchboard.broker.UnroutableException;
import io.switchboard.config.ServerId;
import io.switchboard.protocol.RoomMessage;

/** With one instance, "every subscribed instance" is this one: the broker hands everything straight back. */
@ApplicationScoped
@Typed(MemoryBroker.class)
public class MemoryBroker implements Broker {

    private final MemoryRoomHistory history;
    private final String serverId;
    private volatile InboundHandler inbound;

    @Inject
    MemoryBroker(MemoryRoomHistory history, ServerId serverId) {
        this(history, serverId.id());
    }

    MemoryBroker(MemoryRoomHistory history, String serverId) {
        this.history = history;
        this.serverId = serverId;
    }

    @Override
    public void register(InboundHandler handler) {
        inbound = handler;
    }

    @Override
    public Uni<RoomMessage> publish(String room, String from, String body) {
        return Uni.createFrom().item(() -> history.append(room, from, body, message -> inbound.onRoomMessage(message)));
    }

    @Override
    public Uni<Void> broadcast(RoomEvent event) {
        return Uni.createFrom().item(() -> {
            inbound.onRoomEvent(event);
            return null;
        });
    }

    @Override
    public Uni<Void> subscribe(String room) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> unsubscribe(String room) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> send(String targetServer, Envelope envelope) {
        if (!serverId.equals(targetServer)) {
            return Uni.createFrom().failure(new UnroutableException(targetServer));
        }
        return Uni.createFrom().deferred(() -> inbound.onEnvelope(envelope));
    }
}
