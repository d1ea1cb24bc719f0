package io.switchboard.broker;

import io.switchboard.protocol.RoomMessage;

/** Where a broker hands what it receives for this instance. */
public interface InboundHandler {

    void onRoomMessage(RoomMessage message);

    void onRoomEvent(RoomEvent event);

    void onEnvelope(Envelope envelope);
}
