package io.switchboard.room;

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

    Uni<Void> store(DirectMessage message);

    /**
     * Stores a message its sender is waiting for, for a recipient with no device online, unless the sender left
     * messages for {@code maxRecipients} other offline users in the current window already (counted in the same
     * step): false then, and nothing stored. Every id counts, those nobody uses too.
     */
    Uni<Boolean> storeWithinQuota(DirectMessage message, int maxRecipients, Duration window);

    /** The user's waiting messages, oldest first, left in place. */
    Uni<List<DirectMessage>> waiting(String user);

    /** Removes the messages with these ids: a device of the user took them. */
    Uni<Void> settle(String user, Collection<String> ids);
}
