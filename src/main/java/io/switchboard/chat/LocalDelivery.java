package io.switchboard.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.OutgoingFrame;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.protocol.ServerFrame;

/**
 * Writes frames to this instance's connections of a user (room traffic is {@link RoomDelivery}'): each frame is
 * encoded once, whoever it goes to.
 */
@ApplicationScoped
class LocalDelivery {

    /** Far below the connection's memory of recent direct message ids, so no unproven one is written to it twice. */
    static final int UNPROVEN_AT_MOST = 16;

    private final LocalHub hub;
    private final FrameEncoder encoder;
    private final ChatMetrics metrics;
    private final Duration proofTimeout;

    LocalDelivery(LocalHub hub, FrameEncoder encoder, ChatMetrics metrics, SwitchboardConfig config) {
        this.hub = hub;
        this.encoder = encoder;
        this.metrics = metrics;
        this.proofTimeout = config.direct().proofTimeout();
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
     * Completes with whether a connection of the recipient proved it read it, by answering the ping that follows
     * it within {@code direct.proof-timeout}: true at the first such proof, so a device that does not read does
     * not hold up the answer; false once none can, and the message is then the inbox's. A connection that has not
     * read what was sent (backlogged), has {@value #UNPROVEN_AT_MOST} direct messages unproven, or left a proof
     * unanswered for the whole timeout is not written to: the inbox takes the message at once, so a device that
     * never reads or answers holds up neither the queue nor the sender (whose frames are answered in order) for long.
     */
    Uni<Boolean> direct(DirectMessage message, String senderSession) {
        OutgoingFrame frame = encode(message);
        List<CompletableFuture<Boolean>> proofs = new ArrayList<>();
        int written = 0;
        for (Session session : hub.sessionsOf(message.to())) {
            if (session.id().equals(senderSession) || !takesLive(session)) {
                continue;
            }
            if (session.firstDelivery(message.id())) {
                proofs.add(session.deliverProven(frame).completeOnTimeout(false, proofTimeout.toMillis(), TimeUnit.MILLISECONDS));
                written++;
            } else {
                proofs.add(CompletableFuture.completedFuture(true)); // it has it already: that copy is proven or kept
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
        return proofs.isEmpty() ? Uni.createFrom().item(false) : Uni.createFrom().completionStage(anyProven(proofs));
    }

    private boolean takesLive(Session session) {
        return session.unprovenDirects() < UNPROVEN_AT_MOST && !session.backlogged()
                && !session.proofOverdue(proofTimeout.toNanos());
    }

    private static CompletableFuture<Boolean> anyProven(List<CompletableFuture<Boolean>> proofs) {
        CompletableFuture<Boolean> any = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(proofs.size());
        for (CompletableFuture<Boolean> proof : proofs) {
            proof.whenComplete((read, failure) -> {
                if (Boolean.TRUE.equals(read)) {
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
