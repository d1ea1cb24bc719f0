package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

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

    private DirectMessage dm(String id, String body) {
        return new DirectMessage(id, "sender", user, body, System.currentTimeMillis());
    }
}
