package io.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.switchboard.identity.Identity;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.OutgoingFrame;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.room.RoomHistory;
import io.switchboard.testing.TestConfig;
import io.vertx.core.json.JsonObject;

/**
 * After the room bus heard a room again following a gap, its members here get what they missed from the room's
 * history, then the live messages, once each and in id order; or {@code resync} when the history cannot say.
 */
class RoomDeliveryTest {

    private static final String ROOM = "lobby";

    private final LocalHub hub = new LocalHub(new ChatMetrics(new SimpleMeterRegistry()));
    private final ScriptedHistory history = new ScriptedHistory();
    private final RoomDelivery feeds = new RoomDelivery(history, hub, new FrameEncoder(new ObjectMapper()),
            new ChatMetrics(new SimpleMeterRegistry()), () -> {
                throw new AssertionError("no leave is heard here");
            });
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void bobIsAMemberHere() {
        Session bob = new Session("bob-1", new Identity("bob", Set.of(), false), 0, new Recording(),
                TestConfig.with(Map.of()).limits());
        hub.addSession(bob);
        bob.welcome("{\"type\":\"welcome\"}");
        seen.clear();
        hub.addMembership(ROOM, "bob");
        feeds.starting(ROOM);
    }

    @Test
    void aResumedRoomIsCaughtUpFromTheLastDeliveredBeforeTheLiveMessagesWithoutRepeats() {
        feeds.message(message(1));
        feeds.resumed(ROOM);
        feeds.message(message(3)); // heard on the new subscription while the catch-up is out
        feeds.message(message(4));

        history.answer(new RoomHistory.Catchup(List.of(message(2), message(3)), true));

        assertThat(history.since).isEqualTo(id(1));
        assertThat(seen).containsExactly("message 1", "message 2", "message 3", "message 4");
    }

    @Test
    void aRoomResumedBeforeAnythingWasDeliveredCatchesUpFromWhereItStood() {
        history.newest = message(5);
        feeds.started(ROOM);
        feeds.resumed(ROOM);

        history.answer(new RoomHistory.Catchup(List.of(message(6)), true));

        assertThat(history.since).isEqualTo(id(5));
        assertThat(seen).containsExactly("message 6");
    }

    @Test
    void whenTheHistoryNoLongerReachesBackTheMembersAreToldToResyncThenGetWhatItHas() {
        feeds.message(message(1));
        feeds.resumed(ROOM);
        feeds.message(message(9));
        feeds.message(message(10));

        history.answer(new RoomHistory.Catchup(List.of(message(7), message(8), message(9)), false));
        feeds.message(message(8)); // late

        assertThat(seen).containsExactly("message 1", "resync lobby", "message 7", "message 8", "message 9",
                "message 10");
    }

    @Test
    void liveMessagesAtOrBelowTheLastDeliveredAreNotRepeated() {
        feeds.message(message(1));
        feeds.message(message(2));
        feeds.message(message(2));
        feeds.message(message(1));
        feeds.message(message(3));

        assertThat(seen).containsExactly("message 1", "message 2", "message 3");
    }

    private static MessageId id(int n) {
        return new MessageId(1_000 + n, 0);
    }

    private static RoomMessage message(int n) {
        return new RoomMessage(id(n), ROOM, "alice", "m" + n, 1_000 + n);
    }

    /** Answers {@code after} when the test says so, and the newest message as set. */
    private static final class ScriptedHistory implements RoomHistory {
        final CompletableFuture<Catchup> pending = new CompletableFuture<>();
        volatile MessageId since;
        volatile RoomMessage newest;

        void answer(Catchup catchup) {
            pending.complete(catchup);
        }

        @Override
        public Uni<List<RoomMessage>> before(String room, MessageId before, int limit) {
            return Uni.createFrom().item(newest == null ? List.of() : List.of(newest));
        }

        @Override
        public Uni<Catchup> after(String room, MessageId since) {
            this.since = since;
            return Uni.createFrom().completionStage(pending);
        }

        @Override
        public Uni<Void> forget(String room) {
            return Uni.createFrom().voidItem();
        }
    }

    /** Notes each frame as "message n" or "resync room". */
    private final class Recording implements Session.Outbound {
        @Override
        public void send(OutgoingFrame frame) {
            JsonObject json = new JsonObject(frame.text());
            seen.add("message".equals(json.getString("type"))
                    ? "message " + (MessageId.parse(json.getString("id")).millis() - 1_000)
                    : json.getString("type") + " " + json.getString("room"));
        }

        @Override
        public void ping(long sequence) {
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public boolean backlogged() {
            return false;
        }

        @Override
        public Executor eventLoop() {
            return Runnable::run;
        }
    }
}
