package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.switchboard.presence.Arrivals;
import io.switchboard.presence.Arrivals.Arrival;
import io.switchboard.presence.PresenceStore;
import io.switchboard.presence.SessionInfo;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.direct.Inbox;
import io.switchboard.room.RoomRegistry;

/** What every {@link Arrivals} must do, seen through the same engine's registry, presence and inbox. */
public abstract class ArrivalsContract {

    /** An engine's arrivals and the stores they write to. */
    public record Stores(Arrivals arrivals, RoomRegistry registry, PresenceStore presence, Inbox inbox) {
    }

    protected abstract Stores stores();

    private Stores stores;
    private String user;
    private String global;

    @BeforeEach
    void setUp() {
        stores = stores();
        user = "user-" + UUID.randomUUID();
        global = "global-" + UUID.randomUUID();
    }

    @Test
    void anArrivalJoinsTheGlobalRoomBecomesPresentAndListsTheRoomsSorted() {
        stores.registry().addMember("zeta-" + user, user, RoomRegistry.RoomQuota.NONE).await().indefinitely();
        stores.registry().addMember("alpha-" + user, user, RoomRegistry.RoomQuota.NONE).await().indefinitely();
        SessionInfo session = new SessionInfo("s1", user, "server-a", 1000);

        Arrival arrival = stores.arrivals().arrive(session, global, 10).await().indefinitely();

        assertThat(arrival.rooms()).containsExactly("alpha-" + user, global, "zeta-" + user);
        assertThat(arrival.waiting()).isEmpty();
        assertThat(stores.presence().sessions(user).await().indefinitely()).containsExactly(session);
        assertThat(stores.registry().find(global).await().indefinitely()).as("the global room is implied, not stored").isEmpty();
        assertThat(stores.presence().onlineUsers(10).await().indefinitely().some()).contains(user);
    }

    @Test
    void theInboxStaysForEveryArrivalUntilSettledOldestFirst() {
        stores.inbox().store(dm("1", "first")).await().indefinitely();
        stores.inbox().store(dm("2", "second")).await().indefinitely();

        Arrival laptop = stores.arrivals().arrive(new SessionInfo("s1", user, "server-a", 1), global, 10).await().indefinitely();
        Arrival phone = stores.arrivals().arrive(new SessionInfo("s2", user, "server-b", 2), global, 10).await().indefinitely();
        stores.inbox().settle(user, List.of("1", "2")).await().indefinitely();
        Arrival tablet = stores.arrivals().arrive(new SessionInfo("s3", user, "server-a", 3), global, 10).await().indefinitely();

        // the laptop may have dropped right after its upgrade: until a device took them, the next one gets them too
        assertThat(laptop.waiting()).extracting(DirectMessage::body).containsExactly("first", "second");
        assertThat(phone.waiting()).extracting(DirectMessage::body).containsExactly("first", "second");
        assertThat(tablet.waiting()).isEmpty();
        assertThat(stores.presence().sessions(user).await().indefinitely()).extracting(SessionInfo::instance)
                .containsExactly("server-a", "server-b", "server-a");
    }

    @Test
    void arrivalsRacingEachOtherCannotPassTheConnectionLimit() {
        List<Arrival> arrivals = Uni.join().all(IntStream.range(0, 10)
                .mapToObj(i -> stores.arrivals().arrive(new SessionInfo("s" + i, user, "server-a", i), global, 3)
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .toList()).andFailFast().await().indefinitely();

        assertThat(arrivals).filteredOn(Arrival::admitted).hasSize(3);
        assertThat(stores.presence().sessions(user).await().indefinitely()).hasSize(3);
    }

    private DirectMessage dm(String id, String body) {
        return new DirectMessage(id, "sender", user, body, System.currentTimeMillis());
    }
}
