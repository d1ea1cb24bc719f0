package io.switchboard.engine.memory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.direct.Inbox;

/**
 * Per-user inboxes in memory, each taking at most {@code inbox.max-per-user} messages from senders and
 * {@code inbox.max-per-sender} from any one of them, all within {@code inbox.memory-max-bytes}; messages older
 * than {@code inbox.ttl} are dropped. Nothing acked is dropped to make room: what does not fit is refused.
 */
public class MemoryInbox implements Inbox {

    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final Map<String, UserInbox> inboxes = new ConcurrentHashMap<>();
    private final Map<String, Recipients> recipientsBySender = new ConcurrentHashMap<>();
    private final ByteBudget budget;
    private final int maxPerUser;
    private final int maxPerSender;
    private final long ttlMillis;
    private final LongSupplier clock;
    private volatile long lastSweep;

    MemoryInbox(SwitchboardConfig config) {
        this(config.inbox().maxPerUser(), config.inbox().maxPerSender(), config.inbox().memoryMaxBytes(),
                config.inbox().ttl().toMillis(), System::currentTimeMillis);
    }

    MemoryInbox(int maxPerUser, int maxPerSender, long maxBytes, long ttlMillis, LongSupplier clock) {
        this.maxPerUser = maxPerUser;
        this.maxPerSender = maxPerSender;
        this.budget = new ByteBudget(maxBytes);
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    /**
     * Past the inbox's caps if need be ({@link Inbox#store}); refused ({@code rate_limited}) only when
     * {@code inbox.memory-max-bytes} has no room for it: this process's heap is the limit.
     */
    @Override
    public Uni<Void> store(DirectMessage message) {
        return keep(message, false) == Verdict.STORED ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(ByteBudget.full("inbox.memory-max-bytes"));
    }

    /**
     * Within the sender's quota of recipients, then within the inbox's caps, then within
     * {@code inbox.memory-max-bytes} (beyond which the message is {@code rate_limited}, as {@link #store}).
     */
    @Override
    public Uni<Verdict> storeWithinQuota(DirectMessage message, int maxRecipients, Duration window) {
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
        if (!within[0]) {
            return Uni.createFrom().item(Verdict.TOO_MANY_RECIPIENTS);
        }
        Verdict verdict = keep(message, true);
        return verdict == null ? Uni.createFrom().failure(ByteBudget.full("inbox.memory-max-bytes"))
                : Uni.createFrom().item(verdict);
    }

    /** Keeps the message, within the caps when {@code capped}; null when the byte budget has no room for it. */
    private Verdict keep(DirectMessage message, boolean capped) {
        long size = RetainedBytes.of(message);
        long oldest = clock.getAsLong() - ttlMillis;
        Verdict[] verdict = { null };
        inboxes.compute(message.to(), (user, inbox) -> {
            UserInbox target = inbox == null ? new UserInbox() : inbox;
            removeIf(target, m -> m.ts() < oldest);
            if (capped && target.from(message.from()) >= maxPerSender) {
                verdict[0] = Verdict.SENDER_SHARE_FULL;
            } else if (capped && target.messages.size() >= maxPerUser) {
                verdict[0] = Verdict.INBOX_FULL;
            } else if (budget.tryAdd(size)) {
                target.add(message);
                verdict[0] = Verdict.STORED;
            }
            return target.messages.isEmpty() ? null : target;
        });
        return verdict[0];
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
            waiting.addAll(inbox.messages);
            return inbox.messages.isEmpty() ? null : inbox;
        });
        return Uni.createFrom().item(waiting);
    }

    @Override
    public Uni<Void> settle(String user, Collection<String> ids) {
        inboxes.computeIfPresent(user, (u, inbox) -> {
            removeIf(inbox, m -> ids.contains(m.id()));
            return inbox.messages.isEmpty() ? null : inbox;
        });
        return Uni.createFrom().voidItem();
    }

    private void removeIf(UserInbox inbox, Predicate<DirectMessage> gone) {
        inbox.messages.removeIf(message -> {
            if (gone.test(message)) {
                budget.release(RetainedBytes.of(message));
                inbox.left(message.from());
                return true;
            }
            return false;
        });
    }

    /** One user's waiting messages, oldest first, and how many of them each sender left; guarded by the map. */
    private static final class UserInbox {
        final Deque<DirectMessage> messages = new ArrayDeque<>();
        final Map<String, Integer> bySender = new HashMap<>();

        int from(String sender) {
            return bySender.getOrDefault(sender, 0);
        }

        void add(DirectMessage message) {
            messages.addLast(message);
            bySender.merge(message.from(), 1, Integer::sum);
        }

        void left(String sender) {
            bySender.computeIfPresent(sender, (s, count) -> count > 1 ? count - 1 : null);
        }
    }
}
