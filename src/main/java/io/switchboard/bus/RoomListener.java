package io.switchboard.bus;

import io.switchboard.protocol.RoomMessage;

/** What the {@link RoomBus} brings to this instance for the rooms it is subscribed to. */
public interface RoomListener {

    /** A room message, stored and in id order. */
    void message(RoomMessage message);

    void event(RoomEvent event);

    /**
     * This instance hears the room again after it may have missed some of its messages (its subscription was lost
     * and is back, or moved to another Redis node): what was stored meanwhile is to be caught up. Called before any
     * message heard on the new subscription.
     */
    void resumed(String room);
}
