package io.switchboard.concurrency;

import java.util.Collection;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * One backend operation per item (a session's presence, a room's registry entry), a bounded number under way at
 * once. Thousands at once (a drain, the purge of a crashed instance) overflowed the Redis client's wait queue and
 * failed most of them; each is a few Redis commands, so {@value #IN_FLIGHT} of them stay well inside its pool and
 * queue.
 */
public final class FewAtATime {

    static final int IN_FLIGHT = 64;

    private FewAtATime() {
    }

    /** Runs {@code operation} for every item; answers how many failed (none is retried here). */
    public static <T> Uni<Long> each(Collection<T> items, Function<T, Uni<Void>> operation) {
        return Multi.createFrom().iterable(items)
                .onItem().transformToUni(item -> operation.apply(item).map(done -> false).onFailure().recoverWithItem(true))
                .merge(IN_FLIGHT)
                .filter(Boolean::booleanValue).collect().with(Collectors.counting());
    }
}
