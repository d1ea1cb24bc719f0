package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.protocol.DirectMessage;
import io.switchboard.direct.Inbox;
import io.switchboard.direct.Inbox.Verdict;

/**
 * What every {@link Inbox} must do; one subclass per engine, built with room for {@link #CAPACITY} messages from
 * senders, {@link #PER_SENDER} of them from any one sender.
 */
public abstract class InboxContract {

    protected static final int CAPACITY = 4;
    protected static final int PER_SENDER = 2;

    /** An inbox whose messages wait {@code ttl} at most. */
    protected abstract Inbox inbox(Duration ttl);

    private Inbox inbox;
    private String user;

    @BeforeEach
    void setUp() {
        inbox = inbox(Duration.ofDays(1));
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
    void aFullInboxRefusesWhatItHasNoRoomForAndKeepsEverythingItTook() {
        List<Verdict> verdicts = List.of("a", "a", "b", "b", "c").stream()
                .map(sender -> storeFrom(inbox, sender + "-sender", "from " + sender))
                .toList();

        assertThat(verdicts).containsExactly(Verdict.STORED, Verdict.STORED, Verdict.STORED, Verdict.STORED,
                Verdict.INBOX_FULL);
        assertThat(inbox.waiting(user).await().indefinitely()).extracting(DirectMessage::body)
                .containsExactly("from a", "from a", "from b", "from b");
    }

    @Test
    void oneSenderFillsNoMoreThanItsShareAndOthersStillGetIn() {
        List<Verdict> verdicts = List.of("junk", "junk", "junk", "friend").stream()
                .map(sender -> storeFrom(inbox, sender, "from " + sender))
                .toList();

        assertThat(verdicts).containsExactly(Verdict.STORED, Verdict.STORED, Verdict.SENDER_SHARE_FULL, Verdict.STORED);
        assertThat(inbox.waiting(user).await().indefinitely()).extracting(DirectMessage::body)
                .containsExactly("from junk", "from junk", "from friend");
    }

    @Test
    void aMessageAckedAlreadyIsKeptPastEveryCap() {
        for (int i = 0; i < CAPACITY; i++) {
            assertThat(storeFrom(inbox, "sender-" + i % PER_SENDER, "m" + i)).isEqualTo(Verdict.STORED);
        }

        inbox.store(dm("acked", "acked already")).await().indefinitely();

        assertThat(inbox.waiting(user).await().indefinitely()).extracting(DirectMessage::body)
                .containsExactly("m0", "m1", "m2", "m3", "acked already");
    }

    @Test
    void aMessageTakenLeavesItsSendersShare() {
        storeFrom(inbox, "sender", "one");
        storeFrom(inbox, "sender", "two");
        assertThat(storeFrom(inbox, "sender", "three")).isEqualTo(Verdict.SENDER_SHARE_FULL);

        String first = inbox.waiting(user).await().indefinitely().get(0).id();
        inbox.settle(user, List.of(first)).await().indefinitely();

        assertThat(storeFrom(inbox, "sender", "three")).isEqualTo(Verdict.STORED);
        assertThat(inbox.waiting(user).await().indefinitely()).extracting(DirectMessage::body)
                .containsExactly("two", "three");
    }

    @Test
    void anExpiredMessageLeavesItsSendersShare() {
        Inbox shortLived = inbox(Duration.ofMillis(300));
        storeFrom(shortLived, "sender", "one");
        storeFrom(shortLived, "sender", "two");
        assertThat(storeFrom(shortLived, "sender", "three")).isEqualTo(Verdict.SENDER_SHARE_FULL);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> storeFrom(shortLived, "sender", "later") == Verdict.STORED);
        assertThat(shortLived.waiting(user).await().indefinitely()).extracting(DirectMessage::body)
                .containsExactly("later");
    }

    @Test
    void aSenderLeavesMessagesForNoMoreOfflineUsersThanTheQuota() {
        String sender = "sender-" + UUID.randomUUID();
        List<Verdict> kept = List.of("a", "b", "c", "a").stream()
                .map(to -> inbox.storeWithinQuota(new DirectMessage(UUID.randomUUID().toString(), sender, user + to, "hi",
                        System.currentTimeMillis()), 2, Duration.ofDays(1)).await().indefinitely())
                .toList();

        assertThat(kept).containsExactly(Verdict.STORED, Verdict.STORED, Verdict.TOO_MANY_RECIPIENTS, Verdict.STORED);
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

    /** What a message from {@code sender} to the user, sent while the user is offline, gets. */
    private Verdict storeFrom(Inbox target, String sender, String body) {
        DirectMessage message = new DirectMessage(UUID.randomUUID().toString(), sender, user, body,
                System.currentTimeMillis());
        return target.storeWithinQuota(message, 1000, Duration.ofDays(1)).await().indefinitely();
    }

    private DirectMessage dm(String id, String body) {
        return new DirectMessage(id, "sender", user, body, System.currentTimeMillis());
    }
}
