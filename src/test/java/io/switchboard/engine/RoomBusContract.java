package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.bus.RoomBus;
import io.switchboard.bus.RoomEvent;
import io.switchboard.bus.RoomListener;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.room.RoomHistory;

/**
 * What every {@link RoomBus} (with the {@link RoomHistory} it writes) must do; one subclass per engine. The
 * subclass gives a bus that keeps {@link #HISTORY_SIZE} messages per room; the contract registers a recorder as
 * its listener.
 */
public abstract class RoomBusContract {

    protected static final int HISTORY_SIZE = 5;
    private static final Duration WAIT = Duration.ofSeconds(10);

    protected abstract RoomBus bus();

    protected abstract RoomHistory history();

    private final Recorder received = new Recorder();
    private RoomBus bus;
    private String room;

    @BeforeEach
    void setUp() {
        bus = bus();
        bus.listen(received);
        room = "room-" + UUID.randomUUID();
        bus.subscribe(room).await().atMost(WAIT);
    }

    @AfterEach
    void tearDown() {
        bus.unsubscribe(room).await().atMost(WAIT);
    }

    @Test
    void publishedMessagesAreStoredAndDeliveredInIdOrder() {
        List<RoomMessage> sent = List.of(publish("a"), publish("b"), publish("c"));

        await().atMost(WAIT).until(() -> received.messages.size() == 3);
        assertThat(received.messages).isEqualTo(sent);
        assertThat(sent).extracting(RoomMessage::id).isSorted();
        assertThat(history().before(room, null, 10).await().atMost(WAIT)).isEqualTo(sent);
    }

    @Test
    void aBodyWithSpacesAndNonAsciiCharactersComesBackAsItWasPublished() {
        RoomMessage sent = publish("héllo wörld  with  spaces 🎉");

        await().atMost(WAIT).until(() -> received.messages.size() == 1);
        assertThat(received.messages.get(0)).isEqualTo(sent);
        assertThat(history().before(room, null, 10).await().atMost(WAIT)).containsExactly(sent);
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
        bus.broadcast(new RoomEvent(RoomEvent.Kind.TYPING, room, "alice")).await().atMost(WAIT);

        await().atMost(WAIT).until(() -> received.events.size() == 1);
        assertThat(received.events.get(0)).isEqualTo(new RoomEvent(RoomEvent.Kind.TYPING, room, "alice"));
        assertThat(history().before(room, null, 10).await().atMost(WAIT)).isEmpty();
    }

    private RoomMessage publish(String body) {
        return bus.publish(room, "alice", body).await().atMost(WAIT);
    }

    /** Keeps what a bus hands over. */
    private static final class Recorder implements RoomListener {
        final List<RoomMessage> messages = new CopyOnWriteArrayList<>();
        final List<RoomEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void message(RoomMessage message) {
            messages.add(message);
        }

        @Override
        public void event(RoomEvent event) {
            events.add(event);
        }

        @Override
        public void resumed(String room) {
        }
    }
}
