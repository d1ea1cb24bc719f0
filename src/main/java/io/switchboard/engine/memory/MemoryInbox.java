package io.switchboard.engine.memory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.room.Inbox;

/**
 * Per-user inboxes in memory, bounded to {@code inbox.max-per-user} each and, for what senders store for offline
 * users, to {@code inbox.memory-max-total} in all; messages older than {@code inbox.ttl} are dropped.
 */
@ApplicationScoped
@Typed(MemoryInbox.class)
public class MemoryInbox implements Inbox {

    private final Map<String, Deque<DirectMessage>> inboxes = new ConcurrentHashMap<>();
    private final Map<String, Recipients> recipientsBySender = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final int maxPerUser;
    private final int maxTotal;
    private final long ttlMillis;
    private final LongSupplier clock;

    @Inject
    MemoryInbox(SwitchboardConfig config) {
        this(config.inbox().maxPerUser(), config.inbox().memoryMaxTotal(), config.inbox().ttl().toMillis(),
                System::currentTimeMillis);
    }

    MemoryInbox(int maxPerUser, int maxTotal, long ttlMillis, LongSupplier clock) {
        this.maxPerUser = maxPerUser;
        this.maxTotal = maxTotal;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    @Override
    public Uni<Void> store(DirectMessage message) {
        inboxes.compute(message.to(), (user, inbox) -> {
            Deque<DirectMessage> target = inbox == null ? new ArrayDeque<>() : inbox;
            target.addLast(message);
            total.incrementAndGet();
            while (target.size() > maxPerUser) {
                target.removeFirst();
                total.decrementAndGet();
            }
            return target;
        });
        return Uni.createFrom().voidItem();
    }

    /** Within the sender's quota and, this being one process's memory, within {@code inbox.memory-max-total}. */
    @Override
    public Uni<Boolean> storeWithinQuota(DirectMessage message, int maxRecipients, Duration window) {
        if (total.get() >= maxTotal) {
            return Uni.createFrom().item(false);
        }
        long now = clock.getAsLong();
        boolean[] within = { false };
        recipientsBySender.compute(message.from(), (sender, recipients) -> {
            Recipients current = recipients == null || now - recipients.since >= window.toMillis()
                    ? new Recipients(now, new HashSet<>())
                    : recipients;
            within[0] = current.users.contains(message.to()) || current.users.size() < maxRecipients;
            if (within[0]) {
                current.users.add(message.to());
            }
            return current;
        });
        return within[0] ? store(message).replaceWith(true) : Uni.createFrom().item(false);
    }

    private record Recipients(long since, Set<String> users) {
    }

    @Override
    public Uni<List<DirectMessage>> waiting(String user) {
        long oldest = clock.getAsLong() - ttlMillis;
        List<DirectMessage> waiting = new ArrayList<>();
        inboxes.computeIfPresent(user, (u, inbox) -> {
            removeIf(inbox, m -> m.ts() < oldest);
            waiting.addAll(inbox);
            return inbox.isEmpty() ? null : inbox;
        });
        return Uni.createFrom().item(waiting);
    }

    @Override
    public Uni<Void> settle(String user, Collection<String> ids) {
        inboxes.computeIfPresent(user, (u, inbox) -> {
            removeIf(inbox, m -> ids.contains(m.id()));
            return inbox.isEmpty() ? null : inbox;
        });
        return Uni.createFrom().voidItem();
    }

    private void removeIf(Deque<DirectMessage> inbox, Predicate<DirectMessage> gone) {
        int before = inbox.size();
        inbox.removeIf(gone);
        total.addAndGet(inbox.size() - before);
    }
}
