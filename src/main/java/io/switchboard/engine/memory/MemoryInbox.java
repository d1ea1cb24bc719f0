package io.switchboard.engine.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.room.Inbox;

/** Per-user inboxes in memory, bounded to {@code inbox.max-per-user}; messages older than {@code inbox.ttl} are dropped. */
@ApplicationScoped
@Typed(MemoryInbox.class)
public class MemoryInbox implements Inbox {

    private final Map<String, Deque<DirectMessage>> inboxes = new ConcurrentHashMap<>();
    private final int maxPerUser;
    private final long ttlMillis;
    private final LongSupplier clock;

    @Inject
    MemoryInbox(SwitchboardConfig config) {
        this(config.inbox().maxPerUser(), config.inbox().ttl().toMillis(), System::currentTimeMillis);
    }

    MemoryInbox(int maxPerUser, long ttlMillis, LongSupplier clock) {
        this.maxPerUser = maxPerUser;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    @Override
    public Uni<Void> store(DirectMessage message) {
        inboxes.compute(message.to(), (user, inbox) -> {
            Deque<DirectMessage> target = inbox == null ? new ArrayDeque<>() : inbox;
            target.addLast(message);
            while (target.size() > maxPerUser) {
                target.removeFirst();
            }
            return target;
        });
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<List<DirectMessage>> waiting(String user) {
        long oldest = clock.getAsLong() - ttlMillis;
        List<DirectMessage> waiting = new ArrayList<>();
        inboxes.computeIfPresent(user, (u, inbox) -> {
            inbox.removeIf(m -> m.ts() < oldest);
            waiting.addAll(inbox);
            return inbox.isEmpty() ? null : inbox;
        });
        return Uni.createFrom().item(waiting);
    }

    @Override
    public Uni<Void> settle(String user, Collection<String> ids) {
        inboxes.computeIfPresent(user, (u, inbox) -> {
            inbox.removeIf(m -> ids.contains(m.id()));
            return inbox.isEmpty() ? null : inbox;
        });
        return Uni.createFrom().voidItem();
    }
}
