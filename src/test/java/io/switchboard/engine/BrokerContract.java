package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.switchboard.broker.Broker;
import io.switchboard.broker.Envelope;
import io.switchboard.broker.InboundHandler;
import io.switchboard.broker.RoomEvent;
import io.switchboard.broker.UnroutableException;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.room.RoomHistory;

/**
 * What every {@link Broker} (with the {@link RoomHistory} it writes) must do; one subclass per engine. The
 * subclass gives a broker that runs as instance {@link #SERVER} and keeps {@link #HISTORY_SIZE} messages per
 * room; the contract registers a recorder as its handler.
 */
public abstract class BrokerContract {

    protected static final String SERVER = "contract-server";
    protected static final int HISTORY_SIZE = 5;
    private static final Duration WAIT = Duration.ofSeconds(10);

    protected abstract Broker broker();

    protected abstract RoomHistory history();

    private final Recorder received = new Recorder();
    private Broker broker;
    private String room;

    @BeforeEach
    void setUp() {
        broker = broker();
        broker.register(received);
        room = "room-" + UUID.randomUUID();
        broker.subscribe(room).await().atMost(WAIT);
    }

    @AfterEach
    void tearDown() {
        broker.unsubscribe(room).await().atMost(WAIT);
    }

    @Test
    void publishedMessagesAreStoredAndDeliveredInIdOrder() {
        List<RoomMessage> sent = List.of(publish("a"), publish("b"), publish("c"));

        await().atMost(WAIT).until(() -> received.messages().size() == 3);
        assertThat(received.messages()).isEqualTo(sent);
        assertThat(sent).extracting(RoomMessage::id).isSorted();
        assertThat(history().before(room, null, 10).await().atMost(WAIT)).isEqualTo(sent);
    }

    @Test
    void historyPagesAndCatchesUp() {
        List<RoomMessage> sent = List.of(publish("a"), publish("b"), publish("c"), publish("d"));

        assertThat(history().before(room, sent.get(3).messageId(), 2).await().atMost(WAIT))
                .containsExactly(sent.get(1), sent.get(2));
        RoomHistory.Catchup catchup = history().after(room, sent.get(1).messageId()).await().atMost(WAIT);
        assertThat(catchup.messages()).containsExactly(sent.get(2), sent.get(3));
        assertThat(catchup.complete()).isTrue();
    }

    @Test
    void catchupIsIncompleteOnceMissedMessagesWereTrimmed() {
        RoomMessage first = publish("first");
        for (int i = 0; i < HISTORY_SIZE + 1; i++) {
            publish("m" + i);
        }

        RoomHistory.Catchup catchup = history().after(room, first.messageId()).await().atMost(WAIT);

        assertThat(catchup.complete()).isFalse();
        assertThat(catchup.messages()).hasSizeLessThanOrEqualTo(HISTORY_SIZE + 1).last()
                .extracting(RoomMessage::body).isEqualTo("m" + HISTORY_SIZE);
    }

    @Test
    void aForgottenRoomHasNoHistoryAndCannotVouchForACatchupFromBefore() {
        RoomMessage old = publish("before");
        history().forget(room).await().atMost(WAIT);
        RoomMessage fresh = publish("after");

        assertThat(history().before(room, null, 10).await().atMost(WAIT)).containsExactly(fresh);
        assertThat(history().after(room, old.messageId()).await().atMost(WAIT).complete()).isFalse();
    }

    @Test
    void aRoomWithoutALogHasNoHistoryAndCannotVouchForACatchup() {
        String empty = room + "-empty";
        assertThat(history().before(empty, null, 10).await().atMost(WAIT)).isEmpty();
        assertThat(history().after(empty, new MessageId(0, 0)).await().atMost(WAIT).complete()).isFalse();
    }

    @Test
    void eventsAreDeliveredButNotStored() {
        broker.broadcast(new RoomEvent(RoomEvent.Kind.TYPING, room, "alice")).await().atMost(WAIT);

        await().atMost(WAIT).until(() -> received.events().size() == 1);
        assertThat(received.events().get(0).user()).isEqualTo("alice");
        assertThat(history().before(room, null, 10).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void envelopesReachTheAddressedInstance() {
        broker.send(SERVER, new Envelope.Kick("alice")).await().atMost(WAIT);

        await().atMost(WAIT).until(() -> received.envelopes().size() == 1);
        assertThat(received.envelopes().get(0)).isEqualTo(new Envelope.Kick("alice"));
    }

    @Test
    void envelopesSentWithoutWaitingAllArriveInTheOrderSent() {
        // sent back to back, most of them while an earlier one awaits the broker: a burst, as under load
        List<Envelope> sent = IntStream.range(0, 300).mapToObj(i -> (Envelope) new Envelope.Kick("user-" + i)).toList();
        List<Uni<Void>> sends = sent.stream().map(envelope -> broker.send(SERVER, envelope).memoize().indefinitely())
                .toList();
        sends.forEach(send -> send.subscribe().with(ok -> { }, failure -> { }));

        sends.forEach(send -> send.await().atMost(WAIT));
        await().atMost(WAIT).until(() -> received.envelopes().size() >= sent.size());
        assertThat(received.envelopes()).isEqualTo(sent);
    }

    @Test
    void anEnvelopeForAnInstanceThatDoesNotExistFails() {
        Uni<Void> send = broker.send("no-such-server-" + UUID.randomUUID(), new Envelope.Kick("alice"));

        assertThatThrownBy(() -> send.await().atMost(WAIT)).isInstanceOf(UnroutableException.class);
    }

    private RoomMessage publish(String body) {
        return broker.publish(room, "alice", body).await().atMost(WAIT);
    }

    /** Keeps what a broker hands over. */
    public static class Recorder implements InboundHandler {
        private final List<RoomMessage> messages = new CopyOnWriteArrayList<>();
        private final List<RoomEvent> events = new CopyOnWriteArrayList<>();
        private final List<Envelope> envelopes = new CopyOnWriteArrayList<>();

        public List<RoomMessage> messages() {
            return messages;
        }

        public List<RoomEvent> events() {
            return events;
        }

        public List<Envelope> envelopes() {
            return envelopes;
        }

        public void clear() {
            messages.clear();
            events.clear();
            envelopes.clear();
        }

        @Override
        public void onRoomMessage(RoomMessage message) {
            messages.add(message);
        }

        @Override
        public void onRoomEvent(RoomEvent event) {
            events.add(event);
        }

        @Override
        public void onRoomResumed(String room) {
        }

        @Override
        public Uni<Void> onEnvelope(Envelope envelope) {
            envelopes.add(envelope);
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> onUndelivered(Envelope envelope, String lostServer) {
            return Uni.createFrom().failure(new AssertionError("a broker reported an envelope undelivered: " + envelope));
        }
    }
}
