package io.switchboard.bus;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.RoomMessage;

/**
 * Carries room traffic between instances: what is published or broadcast in a room reaches every instance
 * subscribed to it, this one included, through the one {@link RoomListener} registered here.
 */
public interface RoomBus {

    /** Where this instance's room traffic goes from now on; nothing is subscribed before the call. */
    void listen(RoomListener listener);

    /** Stores the message as the room's next one and delivers it to every subscribed instance, in id order. */
    Uni<RoomMessage> publish(String room, String from, String body);

    /** Delivers an event that is not stored (typing, membership news) to every subscribed instance. */
    Uni<Void> broadcast(RoomEvent event);

    /** Starts receiving the room's traffic on this instance; idempotent. */
    Uni<Void> subscribe(String room);

    /** Stops receiving the room's traffic on this instance; idempotent. */
    Uni<Void> unsubscribe(String room);
}
