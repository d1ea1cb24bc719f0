package io.switchboard.broker;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.RoomMessage;

/** Where a broker hands what it receives for this instance; registered with {@link Broker#register}. */
public interface InboundHandler {

    /** A room message, stored and in id order: every local member gets it. */
    void onRoomMessage(RoomMessage message);

    void onRoomEvent(RoomEvent event);

    /**
     * This instance hears the room again after it may have missed some of its messages (its subscription was lost
     * and is back, or moved to another node): what was stored meanwhile is to be caught up. Called before any
     * message heard on the new subscription.
     */
    void onRoomResumed(String room);

    /** An envelope for this instance; completes once it was settled (a direct message proven read by a device, or stored). */
    Uni<Void> onEnvelope(Envelope envelope);

    /**
     * An envelope its instance ({@code lostServer}; null when unknown) never took, as it is gone: a direct message
     * must not be lost, nor sent back there.
     */
    Uni<Void> onUndelivered(Envelope envelope, String lostServer);
}
