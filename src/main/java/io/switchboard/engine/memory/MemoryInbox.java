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
 * Per-user inboxes in memory, bounded to {@code inbox.max-per-user} each and to {@code inbox.memory-max-bytes} in
 * all; messages older than {@code inbox.ttl} are dropped.
 */
@ApplicationScoped
@Typed(MemoryInbox.class)
public class MemoryInbox implements Inbox {

    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final Map<String, Deque<DirectMessage>> inboxes = new ConcurrentHashMap<>();
    private final Map<String, Recipients> recipientsBySender = new ConcurrentHashMap<>();
    private final ByteBudget budget;
    private final int maxPerUser;
    private final long ttlMillis;
    private final LongSupplier clock;
    private volatile long lastSweep;

    @Inject
    MemoryInbox(SwitchboardConfig config) {
        this(config.inbox().maxPerUser(), config.inbox().memoryMaxBytes(), config.inbox().ttl().toMillis(),
                System::currentTimeMillis);
    }

    MemoryInbox(int maxPerUser, long maxBytes, long ttlMillis, LongSupplier clock) {
        this.maxPerUser = maxPerUser;
        this.budget = new ByteBudget(maxBytes);
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    /**
     * Refused ({@code rate_limited}) when {@code inbox.memory-max-bytes} has no room for it, even counting the
     * message the user's own bound trims: this process's heap is the limit, and what was acked stays.
     */
    @Override
    public Uni<Void> store(DirectMessage message) {
        long size = RetainedBytes.of(message);
        boolean[] kept = { false };
        inboxes.compute(message.to(), (user, inbox) -> {
            Deque<DirectMessage> target = inbox == null ? new ArrayDeque<>() : inbox;
            long trimmed = target.size() >= maxPerUser ? RetainedBytes.of(target.peekFirst()) : 0;
            kept[0] = budget.tryAdd(size - trimmed);
            if (kept[0]) {
                target.addLast(message);
                while (target.size() > maxPerUser) {
                    target.removeFirst();
                }
            }
            return target.isEmpty() ? null : target;
        });
        return kept[0] ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(ByteBudget.full("inbox.memory-max-bytes"));
    }

    /** Within the sender's quota of recipients, then within {@code inbox.memory-max-bytes} ({@link #store}). */
    @Override
    public Uni<Boolean> storeWithinQuota(DirectMessage message, int maxRecipients, Duration window) {
        long now = clock.getAsLong();
        sweepEndedWindows(now, window.toMillis());
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

    /** Senders whose window ended are let go now and then, so no sender is kept for good. */
    private void sweepEndedWindows(long now, long windowMillis) {
        if (now - lastSweep < SWEEP_EVERY_MILLIS) {
            return;
        }
        lastSweep = now;
        recipientsBySender.values().removeIf(recipients -> now - recipients.since >= windowMillis);
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
        inbox.removeIf(message -> {
            if (gone.test(message)) {
                budget.release(RetainedBytes.of(message));
                return true;
            }
            return false;
        });
    }
}
