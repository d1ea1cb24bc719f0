package io.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.switchboard.bus.ControlHandler;
import io.switchboard.bus.DirectHandler;
import io.switchboard.bus.Envelope;
import io.switchboard.bus.InstanceRoute;
import io.switchboard.bus.UnroutableException;
import io.switchboard.protocol.DirectMessage;

/**
 * What every {@link InstanceRoute} must do; one subclass per engine. The subclass gives a route that runs as
 * instance {@link #INSTANCE}; the contract registers recorders as its handlers.
 */
public abstract class InstanceRouteContract {

    public static final String INSTANCE = "contract-instance";
    private static final Duration WAIT = Duration.ofSeconds(10);

    protected abstract InstanceRoute route();

    private final Recorder received = new Recorder();
    private InstanceRoute route;

    @BeforeEach
    void setUp() {
        route = route();
        route.handle((DirectHandler) received);
        route.handle((ControlHandler) received);
    }

    @Test
    void controlEnvelopesReachTheAddressedInstancesControl() {
        route.send(INSTANCE, new Envelope.Kick("alice")).await().atMost(WAIT);

        await().atMost(WAIT).until(() -> received.control.size() == 1);
        assertThat(received.control.get(0)).isEqualTo(new Envelope.Kick("alice"));
        assertThat(received.directs).isEmpty();
    }

    @Test
    void directMessagesReachTheAddressedInstancesDirectHandler() {
        Envelope.Direct direct = new Envelope.Direct(new DirectMessage("m-" + UUID.randomUUID(), "alice", "bob", "hi there",
                1L), "alice-1", true, false, Set.of());

        route.send(INSTANCE, direct).await().atMost(WAIT);

        await().atMost(WAIT).until(() -> received.directs.size() == 1);
        assertThat(received.directs.get(0)).isEqualTo(direct);
        assertThat(received.control).isEmpty();
    }

    @Test
    void envelopesSentWithoutWaitingAllArriveInTheOrderSent() {
        // sent back to back, most of them while an earlier one awaits the transport: a burst, as under load
        List<Envelope> sent = IntStream.range(0, 300).mapToObj(i -> (Envelope) new Envelope.Kick("user-" + i)).toList();
        List<Uni<Void>> sends = sent.stream().map(envelope -> route.send(INSTANCE, envelope).memoize().indefinitely())
                .toList();
        sends.forEach(send -> send.subscribe().with(ok -> { }, failure -> { }));

        sends.forEach(send -> send.await().atMost(WAIT));
        await().atMost(WAIT).until(() -> received.control.size() >= sent.size());
        assertThat(received.control).isEqualTo(sent);
    }

    @Test
    void anEnvelopeForAnInstanceThatDoesNotExistFails() {
        Uni<Void> send = route.send("no-such-instance-" + UUID.randomUUID(), new Envelope.Kick("alice"));

        assertThatThrownBy(() -> send.await().atMost(WAIT)).isInstanceOf(UnroutableException.class);
    }

    /** Keeps what a route hands over. */
    private static final class Recorder implements DirectHandler, ControlHandler {
        final List<Envelope.Direct> directs = new CopyOnWriteArrayList<>();
        final List<Envelope> control = new CopyOnWriteArrayList<>();

        @Override
        public Uni<Void> receive(Envelope.Direct direct) {
            directs.add(direct);
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> undelivered(Envelope.Direct direct, String lostInstance) {
            return Uni.createFrom().failure(new AssertionError("a route reported an envelope undelivered: " + direct));
        }

        @Override
        public void apply(Envelope envelope) {
            control.add(envelope);
        }
    }
}
