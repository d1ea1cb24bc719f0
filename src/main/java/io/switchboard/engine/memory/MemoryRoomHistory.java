package io.switchboard.engine.memory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.room.RoomHistory;

/**
 * Room logs in this process's memory, each bounded to {@code history.max-per-room}, all of them together to
 * {@code history.memory-max-bytes}; a log with no new message for {@code history.retention} is dropped.
 */
public class MemoryRoomHistory implements RoomHistory {

    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final Map<String, Log> logs = new ConcurrentHashMap<>();
    private final int maxPerRoom;
    private final long retentionMillis;
    private final ByteBudget budget;
    private final LongSupplier clock;
    private volatile long lastSweep;

    MemoryRoomHistory(SwitchboardConfig config) {
        this(config.history().maxPerRoom(), config.history().retention(), config.history().memoryMaxBytes(),
                System::currentTimeMillis);
    }

    MemoryRoomHistory(int maxPerRoom, Duration retention, long maxBytes, LongSupplier clock) {
        this.maxPerRoom = maxPerRoom;
        this.retentionMillis = retention.toMillis();
        this.budget = new ByteBudget(maxBytes);
        this.clock = clock;
    }

    /**
     * Stores a message as the room's next and, still holding the room's lock, hands it to {@code deliver}, so that
     * every connection receives the room's messages in id order. Refused ({@code rate_limited}), neither stored nor
     * delivered, when the budget has no room for it, even counting the message the room's own bound trims.
     */
    RoomMessage append(String room, String from, String body, Consumer<RoomMessage> deliver) {
        long now = clock.getAsLong();
        sweepIdleLogs(now);
        RoomMessage[] stored = new RoomMessage[1];
        // compute() keeps a concurrent sweep from dropping the log between lookup and append
        logs.compute(room, (r, existing) -> {
            Log log = existing == null ? new Log() : existing;
            synchronized (log) {
                RoomMessage message = new RoomMessage(MessageId.next(log.lastId, now), room, from, body, now);
                long trimmed = log.messages.size() >= maxPerRoom ? RetainedBytes.of(log.messages.peekFirst()) : 0;
                long size = RetainedBytes.of(message);
                if (!budget.tryAdd(size - trimmed)) {
                    throw ByteBudget.full("history.memory-max-bytes");
                }
                log.add(message, size, maxPerRoom, now);
                stored[0] = message;
                deliver.accept(stored[0]);
            }
            return log;
        });
        return stored[0];
    }

    @Override
    public Uni<List<RoomMessage>> before(String room, MessageId before, int limit) {
        Log log = logs.get(room);
        if (log == null) {
            return Uni.createFrom().item(List.of());
        }
        synchronized (log) {
            Deque<RoomMessage> newestFirst = new ArrayDeque<>(limit);
            Iterator<RoomMessage> it = log.messages.descendingIterator();
            while (it.hasNext() && newestFirst.size() < limit) {
                RoomMessage message = it.next();
                if (before == null || message.messageId().compareTo(before) < 0) {
                    newestFirst.addFirst(message);
                }
            }
            return Uni.createFrom().item(List.copyOf(newestFirst));
        }
    }

    @Override
    public Uni<Catchup> after(String room, MessageId since) {
        Log log = logs.get(room);
        if (log == null) {
            // the log expired or never existed: nothing after since can be vouched for
            return Uni.createFrom().item(new Catchup(List.of(), false));
        }
        synchronized (log) {
            List<RoomMessage> missed = new ArrayList<>();
            // as on Redis: complete when the since message itself is still kept, so nothing after it was trimmed
            // or lost with an earlier life of the log
            boolean complete = false;
            for (RoomMessage message : log.messages) {
                int order = message.messageId().compareTo(since);
                complete |= order == 0;
                if (order > 0) {
                    missed.add(message);
                }
            }
            return Uni.createFrom().item(new Catchup(missed, complete));
        }
    }

    @Override
    public Uni<Void> forget(String room) {
        logs.computeIfPresent(room, (r, log) -> dropped(log));
        return Uni.createFrom().voidItem();
    }

    private void sweepIdleLogs(long now) {
        if (now - lastSweep < SWEEP_EVERY_MILLIS) {
            return;
        }
        lastSweep = now;
        for (String room : logs.keySet()) {
            logs.computeIfPresent(room, (r, log) -> now - log.lastAppend > retentionMillis ? dropped(log) : log);
        }
    }

    /** Gives a log's bytes back; null, for the map to remove it. */
    private Log dropped(Log log) {
        synchronized (log) {
            budget.release(log.bytes);
        }
        return null;
    }

    private static final class Log {
        final Deque<RoomMessage> messages = new ArrayDeque<>();
        MessageId lastId;
        long lastAppend;
        /** What the kept messages weigh, as {@link RetainedBytes} estimates it. */
        long bytes;

        void add(RoomMessage message, long size, int max, long now) {
            messages.addLast(message);
            bytes += size;
            lastId = message.messageId();
            lastAppend = now;
            while (messages.size() > max) {
                bytes -= RetainedBytes.of(messages.removeFirst());
            }
        }
    }
}
