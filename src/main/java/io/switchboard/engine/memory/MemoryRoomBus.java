package io.switchboard.engine.memory;

import io.smallrye.mutiny.Uni;
import io.switchboard.bus.RoomBus;
import io.switchboard.bus.RoomEvent;
import io.switchboard.bus.RoomListener;
import io.switchboard.protocol.RoomMessage;

/** With one instance, "every subscribed instance" is this one: the bus hands everything straight back. */
class MemoryRoomBus implements RoomBus {

    private final MemoryRoomHistory history;
    private volatile RoomListener listener;

    MemoryRoomBus(MemoryRoomHistory history) {
        this.history = history;
    }

    @Override
    public void listen(RoomListener listener) {
        this.listener = listener;
    }

    @Override
    public Uni<RoomMessage> publish(String room, String from, String body) {
        return Uni.createFrom().item(() -> history.append(room, from, body, message -> listener.message(message)));
    }

    @Override
    public Uni<Void> broadcast(RoomEvent event) {
        return Uni.createFrom().item(() -> {
            listener.event(event);
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
}
