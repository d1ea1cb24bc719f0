package io.switchboard.broker;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.RoomMessage;

/**
 * Carries messages between instances. Everything a broker receives, from this instance or another, reaches the
 * {@link InboundHandler}; an instance receives a room's traffic only while it is subscribed to the room.
 */
public interface Broker {

    /** Where everything this instance receives goes from now on; until the first call, deliveries wait. */
    void register(InboundHandler handler);

    /** Stores the message as the room's next one and delivers it to every subscribed instance, in id order. */
    Uni<RoomMessage> publish(String room, String from, String body);

    /** Delivers an event that is not stored (typing, membership news) to every subscribed instance. */
    Uni<Void> broadcast(RoomEvent event);

    /** Starts receiving the room's traffic on this instance; idempotent. */
    Uni<Void> subscribe(String room);

    /** Stops receiving the room's traffic on this instance; idempotent. */
    Uni<Void> unsubscribe(String room);

    /** Sends to one instance; fails with {@link UnroutableException} when that instance cannot take it. */
    Uni<Void> send(String serverId, Envelope envelope);
}
