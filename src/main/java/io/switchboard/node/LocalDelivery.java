package io.switchboard.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.MessageId;
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
        int connections = hub.sendToRoom(message.room(), encode(message), null, message.messageId());
        metrics.framesOut(message.type(), connections);
        metrics.delivered(connections, message.ts());
    }

    /** Room news for every local member's connections but those of {@code exceptUser}. */
    void roomNews(String room, ServerFrame frame, String exceptUser) {
        metrics.framesOut(frame.type(), hub.sendToRoom(room, encode(frame), exceptUser, null));
    }

    /** Tells the room's local members that they may have missed messages here (see {@link RoomFeeds}). */
    void resync(String room) {
        roomNews(room, new ServerFrame.Resync(room), null);
    }

    /**
     * Answers a join each of the devices has in flight ({@link Session#answerJoin}): the answer, then the room's
     * messages that go with it, oldest first, each encoded once.
     */
    void answerJoins(List<Session> devices, String room, ServerFrame answer, List<RoomMessage> messages) {
        List<OutgoingFrame> frames = new ArrayList<>(messages.size() + 1);
        frames.add(encode(answer));
        messages.forEach(message -> frames.add(encode(message)));
        MessageId newest = messages.isEmpty() ? null : messages.get(messages.size() - 1).messageId();
        devices.forEach(session -> session.answerJoin(room, frames, newest));
        metrics.framesOut(answer.type(), devices.size());
        if (!messages.isEmpty()) {
            metrics.framesOut(messages.get(0).type(), devices.size() * messages.size());
        }
    }

    /** A frame for every local connection of the user but {@code exceptSession}; returns how many got it. */
    int toUser(String user, ServerFrame frame, String exceptSession) {
        int connections = hub.sendToUser(user, encode(frame), exceptSession);
        metrics.framesOut(frame.type(), connections);
        return connections;
    }

    /**
     * Writes a direct message to the local connections of its recipient and of its sender (but the sending one).
     * Completes with whether a connection of the recipient took it: written while open, not closing. It completes
     * at the first such write, so a recipient device that does not read does not hold up the answer.
     */
    Uni<Boolean> direct(DirectMessage message, String senderSession) {
        OutgoingFrame frame = encode(message);
        List<CompletionStage<Boolean>> writes = new ArrayList<>();
        int written = 0;
        for (Session session : hub.sessionsOf(message.to())) {
            if (session.id().equals(senderSession)) {
                continue;
            }
            if (session.firstDelivery(message.id())) {
                writes.add(session.deliver(frame));
                written++;
            } else {
                writes.add(CompletableFuture.completedFuture(true)); // it has it already
            }
        }
        if (!message.from().equals(message.to())) {
            for (Session session : hub.sessionsOf(message.from())) {
                if (!session.id().equals(senderSession) && session.firstDelivery(message.id())) {
                    session.send(frame);
                    written++;
                }
            }
        }
        metrics.framesOut(message.type(), written);
        return writes.isEmpty() ? Uni.createFrom().item(false) : Uni.createFrom().completionStage(anyWritten(writes));
    }

    private static CompletableFuture<Boolean> anyWritten(List<CompletionStage<Boolean>> writes) {
        CompletableFuture<Boolean> any = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(writes.size());
        for (CompletionStage<Boolean> write : writes) {
            write.whenComplete((written, failure) -> {
                if (Boolean.TRUE.equals(written)) {
                    any.complete(true);
                } else if (pending.decrementAndGet() == 0) {
                    any.complete(false);
                }
            });
        }
        return any;
    }

    /** Closes every local connection of the user. */
    void disconnect(String user, int code, String reason) {
        hub.sessionsOf(user).forEach(session -> session.close(code, reason));
    }

    private OutgoingFrame encode(Object frame) {
        return OutgoingFrame.of(encoder.encode(frame));
    }
}
