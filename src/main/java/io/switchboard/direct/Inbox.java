package io.switchboard.direct;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.DirectMessage;

/**
 * Direct messages that wait for a recipient with no device online. A message leaves the inbox only once a device
 * proved it took it ({@link #settle}): handing it to a connection is not enough, since a device that drops right
 * after the upgrade never reads what it was sent.
 */
public interface Inbox {

    /**
     * Keeps a message that was acked already (a copy whose instance was lost, a queue taken over, a device that
     * went before it took it): never refused for the inbox's caps and never trimmed, since dropping it would lose
     * what was promised. The senders' quotas bounded these messages when they were first sent.
     */
    Uni<Void> store(DirectMessage message);

    /**
     * Stores a message its sender is waiting for, for a recipient with no device online, unless the sender left
     * messages for {@code maxRecipients} other offline users in the current window already (counted in the same
     * step), the recipient's inbox holds {@code inbox.max-per-user} messages, or the sender's share of it
     * {@code inbox.max-per-sender}: nothing is stored then. Every id counts, those nobody uses too.
     */
    Uni<Verdict> storeWithinQuota(DirectMessage message, int maxRecipients, Duration window);

    /** The user's waiting messages, oldest first, left in place. */
    Uni<List<DirectMessage>> waiting(String user);

    /** Removes the messages with these ids: a device of the user took them. They leave their senders' shares too. */
    Uni<Void> settle(String user, Collection<String> ids);

    /** What {@link #storeWithinQuota} did. */
    enum Verdict {
        STORED,
        /** Refused: the sender reached its quota of offline recipients. */
        TOO_MANY_RECIPIENTS,
        /** Refused: the recipient's inbox is full. */
        INBOX_FULL,
        /** Refused: the sender has the most messages one sender may have waiting in this inbox. */
        SENDER_SHARE_FULL
    }
}
