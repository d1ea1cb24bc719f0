package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.protocol.DirectMessage;
import io.switchboard.room.Inbox;

/** What every {@link Inbox} must do; one subclass per engine, built with room for {@link #CAPACITY} messages. */
public abstract class InboxContract {

    protected static final int CAPACITY = 3;

    protected abstract Inbox inbox();

    private Inbox inbox;
    private String user;

    @BeforeEach
    void setUp() {
        inbox = inbox();
        user = "user-" + UUID.randomUUID();
    }

    @Test
    void messagesWaitOldestFirstUntilSettled() {
        inbox.store(dm("1", "one")).await().indefinitely();
        inbox.store(dm("2", "two")).await().indefinitely();

        assertThat(inbox.waiting(user).await().indefinitely()).extracting(DirectMessage::body).containsExactly("one", "two");
        assertThat(inbox.waiting(user).await().indefinitely()).extracting(DirectMessage::body).containsExactly("one", "two");
    }

    @Test
    void settlingRemovesOnlyTheMessagesTakenNotThoseThatArrivedMeanwhile() {
        inbox.store(dm("1", "one")).await().indefinitely();
        inbox.store(dm("2", "two")).await().indefinitely();
        inbox.waiting(user).await().indefinitely();
        inbox.store(dm("3", "three")).await().indefinitely();

        inbox.settle(user, List.of("1", "2")).await().indefinitely();

        assertThat(inbox.waiting(user).await().indefinitely()).extracting(DirectMessage::body).containsExactly("three");
    }

    @Test
    void keepsOnlyTheNewestMessagesBeyondItsCapacity() {
        for (int i = 0; i < CAPACITY + 2; i++) {
            inbox.store(dm(String.valueOf(i), "m" + i)).await().indefinitely();
        }

        assertThat(inbox.waiting(user).await().indefinitely()).extracting(DirectMessage::body)
                .containsExactly("m2", "m3", "m4");
    }

    @Test
    void aSenderLeavesMessagesForNoMoreOfflineUsersThanTheQuota() {
        String sender = "sender-" + UUID.randomUUID();
        List<Boolean> kept = List.of("a", "b", "c", "a").stream()
                .map(to -> inbox.storeWithinQuota(new DirectMessage(UUID.randomUUID().toString(), sender, user + to, "hi",
                        System.currentTimeMillis()), 2, Duration.ofDays(1)).await().indefinitely())
                .toList();

        assertThat(kept).containsExactly(true, true, false, true);
        assertThat(inbox.waiting(user + "c").await().indefinitely()).isEmpty();
        assertThat(inbox.waiting(user + "a").await().indefinitely()).hasSize(2);
    }

    @Test
    void bodiesComeBackAsTheyWereSentAndSettleByTheirId() {
        String body = "{\"id\":\"2\"} two words\n\u0001\u0000 \"quoted\" \\ €";
        DirectMessage sent = new DirectMessage("1", "sender", user, body, System.currentTimeMillis());
        inbox.store(sent).await().indefinitely();
        inbox.store(dm("2", " ")).await().indefinitely();

        assertThat(inbox.waiting(user).await().indefinitely()).first().isEqualTo(sent);
        inbox.settle(user, List.of("1")).await().indefinitely();
        assertThat(inbox.waiting(user).await().indefinitely()).extracting(DirectMessage::body).containsExactly(" ");
    }

    private DirectMessage dm(String id, String body) {
        return new DirectMessage(id, "sender", user, body, System.currentTimeMillis());
    }
}
