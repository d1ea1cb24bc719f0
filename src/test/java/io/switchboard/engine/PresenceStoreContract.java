package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.switchboard.presence.PresenceStore;
import io.switchboard.presence.SessionInfo;

/** What every {@link PresenceStore} must do; one subclass per engine. */
public abstract class PresenceStoreContract {

    protected abstract PresenceStore store();

    private PresenceStore store;
    private String user;

    @BeforeEach
    void setUp() {
        store = store();
        user = "user-" + UUID.randomUUID();
    }

    @Test
    void aBarLastsItsSpanAndCanBeLifted() {
        assertThat(store.isBarred(user).await().indefinitely()).isFalse();
        store.bar(user, Duration.ofMinutes(10)).await().indefinitely();
        assertThat(store.isBarred(user).await().indefinitely()).isTrue();
        store.bar(user, Duration.ZERO).await().indefinitely();
        assertThat(store.isBarred(user).await().indefinitely()).isFalse();

        store.bar(user, Duration.ofMillis(200)).await().indefinitely();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> !store.isBarred(user).await().indefinitely());
    }

    @Test
    void sessionsAreListedOldestFirstUntilRemoved() {
        SessionInfo laptop = new SessionInfo("s1", user, "server-a", 1000);
        SessionInfo phone = new SessionInfo("s2", user, "server-b", 2000);
        store.add(phone).await().indefinitely();
        store.add(laptop).await().indefinitely();

        assertThat(store.sessions(user).await().indefinitely()).containsExactly(laptop, phone);
        store.remove(laptop).await().indefinitely();
        assertThat(store.sessions(user).await().indefinitely()).containsExactly(phone);
        store.remove(phone).await().indefinitely();
        assertThat(store.sessions(user).await().indefinitely()).isEmpty();
    }

    @Test
    void onlineTellsWhichUsersHaveASession() {
        String other = user + "-offline";
        store.add(new SessionInfo("s1", user, "server-a", 1)).await().indefinitely();

        assertThat(store.online(List.of(user, other)).await().indefinitely()).containsExactly(user);
        store.remove(new SessionInfo("s1", user, "server-a", 1)).await().indefinitely();
        assertThat(store.online(List.of(user, other)).await().indefinitely()).isEmpty();
    }

    @Test
    void sessionsOfListsEveryUsersSessionsInOneLookup() {
        String other = user + "-other";
        String offline = user + "-offline";
        SessionInfo laptop = new SessionInfo("s1", user, "server-a", 1000);
        SessionInfo phone = new SessionInfo("s2", user, "server-b", 500);
        SessionInfo others = new SessionInfo("s3", other, "server-a", 10);
        store.add(laptop).await().indefinitely();
        store.add(phone).await().indefinitely();
        store.add(others).await().indefinitely();

        Map<String, List<SessionInfo>> sessions = store.sessionsOf(List.of(user, other, offline)).await().indefinitely();

        assertThat(sessions.get(user)).containsExactly(phone, laptop);
        assertThat(sessions.get(other)).containsExactly(others);
        assertThat(sessions.get(offline)).isEmpty();
        List.of(laptop, phone, others).forEach(s -> store.remove(s).await().indefinitely());
    }

    @Test
    void aBurstOfLookupsOfManyUsersIsAnsweredInFull() {
        // what a burst of joins into big rooms asks: each join, which of its members are online
        List<String> members = IntStream.range(0, 300).mapToObj(i -> user + "-" + i).toList();
        SessionInfo one = new SessionInfo("s1", members.get(7), "server-a", 1);
        store.add(one).await().indefinitely();

        List<Uni<Set<String>>> lookups = IntStream.range(0, 50).mapToObj(i -> store.online(members)).toList();
        List<Set<String>> answers = Uni.join().all(lookups).andFailFast().await().atMost(Duration.ofSeconds(30));

        assertThat(answers).hasSize(50).allMatch(online -> online.equals(Set.of(members.get(7))));
        assertThat(store.sessionsOf(members).await().indefinitely().get(members.get(7))).containsExactly(one);
        store.remove(one).await().indefinitely();
    }
}
