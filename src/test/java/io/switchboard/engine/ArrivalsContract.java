package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.presence.Arrivals;
import io.switchboard.presence.Arrivals.Arrival;
import io.switchboard.presence.PresenceStore;
import io.switchboard.presence.SessionInfo;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.room.Inbox;
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
        stores.registry().addMember("zeta-" + user, user).await().indefinitely();
        stores.registry().addMember("alpha-" + user, user).await().indefinitely();
        SessionInfo session = new SessionInfo("s1", user, "server-a", 1000);

        Arrival arrival = stores.arrivals().arrive(session, global).await().indefinitely();

        assertThat(arrival.rooms()).containsExactly("alpha-" + user, global, "zeta-" + user);
        assertThat(arrival.waiting()).isEmpty();
        assertThat(stores.presence().sessions(user).await().indefinitely()).containsExactly(session);
        assertThat(stores.registry().find(global).await().indefinitely().orElseThrow().members()).contains(user);
    }

    @Test
    void theInboxStaysForEveryArrivalUntilSettledOldestFirst() {
        stores.inbox().store(dm("1", "first")).await().indefinitely();
        stores.inbox().store(dm("2", "second")).await().indefinitely();

        Arrival laptop = stores.arrivals().arrive(new SessionInfo("s1", user, "server-a", 1), global).await().indefinitely();
        Arrival phone = stores.arrivals().arrive(new SessionInfo("s2", user, "server-b", 2), global).await().indefinitely();
        stores.inbox().settle(user, List.of("1", "2")).await().indefinitely();
        Arrival tablet = stores.arrivals().arrive(new SessionInfo("s3", user, "server-a", 3), global).await().indefinitely();

        // the laptop may have dropped right after its upgrade: until a device took them, the next one gets them too
        assertThat(laptop.waiting()).extracting(DirectMessage::body).containsExactly("first", "second");
        assertThat(phone.waiting()).extracting(DirectMessage::body).containsExactly("first", "second");
        assertThat(tablet.waiting()).isEmpty();
        assertThat(stores.presence().sessions(user).await().indefinitely()).extracting(SessionInfo::server)
                .containsExactly("server-a", "server-b", "server-a");
    }

    private DirectMessage dm(String id, String body) {
        return new DirectMessage(id, "sender", user, body, System.currentTimeMillis());
    }
}
