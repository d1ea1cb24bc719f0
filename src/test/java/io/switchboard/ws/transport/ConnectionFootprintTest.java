package io.switchboard.ws.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Once the application has started, the queue websockets-next gives each connection (its concurrency limiter's,
 * from Mutiny's small buffer size) starts with the footprint's chunk: read where websockets-next, Mutiny and
 * JCTools keep it, so an upgrade that changes any of the three fails here.
 */
@QuarkusTest
class ConnectionFootprintTest {

    private static final String RUNTIME = "io.quarkus.websockets.next.runtime.";

    @Test
    void aConnectionsQueueStartsWithTheSmallestChunk() throws Exception {
        Class<?> limiter = load(RUNTIME + "ConcurrencyLimiter");
        Constructor<?> make = limiter.getDeclaredConstructor(load(RUNTIME + "WebSocketConnectionBase"));
        make.setAccessible(true);
        Object queue = field(limiter, "queue").get(make.newInstance((Object) null));

        // JCTools' unbounded MPSC queue: a chunk has one slot more than its size, for the link to the next one
        Object firstChunk = field(queue.getClass(), "producerBuffer").get(queue);
        assertThat(((AtomicReferenceArray<?>) firstChunk).length()).isEqualTo(ConnectionFootprint.QUEUE_CHUNK + 1);
    }

    private Class<?> load(String name) throws ClassNotFoundException {
        return Class.forName(name, false, getClass().getClassLoader());
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException notHere) {
                // declared further up
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
