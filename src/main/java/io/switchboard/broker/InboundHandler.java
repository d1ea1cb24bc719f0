package io.switchboard.broker;

/** Where a broker hands what it receives for this instance. */
public interface InboundHandler {

    /** A room message, already encoded as its {@code message} frame: every local member gets the same text. */
    void onRoomMessage(String room, String frame);

    void onRoomEvent(RoomEvent event);

    void onEnvelope(Envelope envelope);

    /** An envelope its instance never took (the instance is gone): a direct message must not be lost. */
    void onUndelivered(Envelope envelope);
}
