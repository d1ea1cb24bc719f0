package io.switchboard.node;

import jakarta.enterprise.context.ApplicationScoped;

import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.OutgoingFrame;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.protocol.ServerFrame;

/** Writes frames to this instance's connections: each frame is encoded once, whoever it goes to. */
@ApplicationScoped
class LocalDelivery {

    private final LocalHub hub;
    private final FrameEncoder encoder;
    private final ChatMetrics metrics;

    LocalDelivery(LocalHub hub, FrameEncoder encoder, ChatMetrics metrics) {
        this.hub = hub;
        this.encoder = encoder;
        this.metrics = metrics;
    }

    void roomMessage(RoomMessage message) {
        int connections = hub.sendToRoom(message.room(), encode(message), null);
        metrics.framesOut(message.type(), connections);
        metrics.delivered(connections, message.ts());
    }

    /** Room news for every local member's connections but those of {@code exceptUser}. */
    void roomNews(String room, ServerFrame frame, String exceptUser) {
        metrics.framesOut(frame.type(), hub.sendToRoom(room, encode(frame), exceptUser));
    }

    /** A frame for every local connection of the user but {@code exceptSession}; returns how many got it. */
    int toUser(String user, ServerFrame frame, String exceptSession) {
        int connections = hub.sendToUser(user, encode(frame), exceptSession);
        metrics.framesOut(frame.type(), connections);
        return connections;
    }

    /**
     * Writes a direct message to the local connections of its recipient and of its sender (but the sending one).
     *
     * @return whether a connection of the recipient got it
     */
    boolean direct(DirectMessage message, String senderSession) {
        OutgoingFrame frame = encode(message);
        int toRecipient = hub.sendToUser(message.to(), frame, senderSession);
        int toSender = message.from().equals(message.to()) ? 0 : hub.sendToUser(message.from(), frame, senderSession);
        metrics.framesOut(message.type(), toRecipient + toSender);
        return toRecipient > 0;
    }

    /** Closes every local connection of the user. */
    void disconnect(String user, int code, String reason) {
        hub.sessionsOf(user).forEach(session -> session.close(code, reason));
    }

    private OutgoingFrame encode(Object frame) {
        return OutgoingFrame.of(encoder.encode(frame));
    }
}
