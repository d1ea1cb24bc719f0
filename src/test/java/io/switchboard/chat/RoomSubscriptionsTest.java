package io.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.switchboard.bus.RoomBus;
import io.switchboard.bus.RoomEvent;
import io.switchboard.bus.RoomListener;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Identity;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.FrameEncoder;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.OutgoingFrame;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.room.RoomHistory;
import io.switchboard.testing.TestConfig;
import io.vertx.core.Vertx;

/**
 * The one owner of room subscriptions keeps "subscribed ⇔ local members", whatever the interleaving, against a
 * room bus that, like Redis, applies commands in the order they arrive and answers them a little later.
 */
class RoomSubscriptionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SwitchboardConfig config = TestConfig.with(Map.of("switchboard.timeouts.resubscribe-after", "0.05S"));
    private final Vertx vertx = Vertx.vertx();
    private final LocalHub hub = new LocalHub(new ChatMetrics(new SimpleMeterRegistry()));
    private final SlowBus broker = new SlowBus();
    private final RoomDelivery feeds = new RoomDelivery(new NothingStored(), hub, new FrameEncoder(new ObjectMapper()),
            new ChatMetrics(new SimpleMeterRegistry()), () -> {
                throw new AssertionError("no leave is heard here");
            });
    private final RoomSubscriptions subscriptions = new RoomSubscriptions(hub, broker, feeds, vertx, config);

    @AfterEach
    void stop() {
        broker.close();
        vertx.close();
    }

    @Test
    void concurrentJoinsAndLeavesEndSubscribedExactlyWhileMembersRemain() throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            users.add("user" + i);
            hub.addSession(session("user" + i));
        }
        ExecutorService threads = Executors.newFixedThreadPool(users.size());
        CountDownLatch done = new CountDownLatch(users.size());
        for (String user : users) {
            threads.execute(() -> {
                for (int cycle = 0; cycle < 200; cycle++) {
                    subscriptions.add("lobby", user).subscribe().with(added -> {
                    }, failure -> {
                    });
                    subscriptions.remove("lobby", user);
                }
                if (user.equals("user3")) {
                    subscriptions.add("lobby", user).await().atMost(WAIT);
                }
                done.countDown();
            });
        }
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        threads.shutdown();

        await().atMost(WAIT).untilAsserted(() -> assertThat(broker.subscribed).containsExactly("lobby"));
        assertThat(hub.hasLocalMembers("lobby")).isTrue();

        subscriptions.remove("lobby", "user3");
        await().atMost(WAIT).untilAsserted(() -> assertThat(broker.subscribed).isEmpty());
    }

    @Test
    void aFailedSubscribeFailsTheJoinLeavesNothingAndIsRetriedByTheNextJoin() {
        hub.addSession(session("alice"));
        broker.failNextSubscribes.set(1);

        assertThatThrownBy(() -> subscriptions.add("flaky", "alice").await().atMost(WAIT))
                .hasMessageContaining("refused");
        assertThat(hub.hasLocalMembers("flaky")).isFalse();

        assertThat(subscriptions.add("flaky", "alice").await().atMost(WAIT)).isTrue();
        assertThat(broker.subscribed).containsExactly("flaky");
        assertThat(hub.isMember("alice", "flaky")).isTrue();
    }

    @Test
    void aFollowedMembershipIsSubscribedOnceTheBrokerRecovers() {
        hub.addSession(session("bob"));
        broker.failNextSubscribes.set(3);

        subscriptions.follow("team:eng", "bob");

        await().atMost(WAIT).untilAsserted(() -> assertThat(broker.subscribed).containsExactly("team:eng"));
    }

    @Test
    void theLastSessionOfTheLastMemberEndsTheSubscription() {
        Session phone = session("carol");
        Session laptop = session("carol");
        hub.addSession(phone);
        hub.addSession(laptop);
        subscriptions.add("lobby", "carol").await().atMost(WAIT);

        subscriptions.removeSession(phone);
        assertThat(broker.subscribed).containsExactly("lobby");
        subscriptions.removeSession(laptop);

        await().atMost(WAIT).untilAsserted(() -> assertThat(broker.subscribed).isEmpty());
    }

    private Session session(String user) {
        return new Session(user + "-" + ThreadLocalRandom.current().nextInt(), new Identity(user, Set.of(), false),
                System.currentTimeMillis(), new IdleOutbound(), config.limits());
    }

    /** A room bus whose commands take effect in arrival order on its own thread, a little later, like Redis. */
    private static final class SlowBus implements RoomBus {
        final Set<String> subscribed = ConcurrentHashMap.newKeySet();
        final AtomicInteger failNextSubscribes = new AtomicInteger();
        private final ExecutorService redis = Executors.newSingleThreadExecutor();

        @Override
        public Uni<Void> subscribe(String room) {
            return command(() -> {
                if (failNextSubscribes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new IllegalStateException("subscription refused");
                }
                subscribed.add(room);
            });
        }

        @Override
        public Uni<Void> unsubscribe(String room) {
            return command(() -> subscribed.remove(room));
        }

        private Uni<Void> command(Runnable effect) {
            return Uni.createFrom().emitter(emitter -> redis.execute(() -> {
                pause();
                try {
                    effect.run();
                    emitter.complete(null);
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            }));
        }

        void close() {
            redis.shutdownNow();
        }

        @Override
        public void listen(RoomListener listener) {
        }

        @Override
        public Uni<RoomMessage> publish(String room, String from, String body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> broadcast(RoomEvent event) {
            throw new UnsupportedOperationException();
        }

        private static void pause() {
            try {
                TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextInt(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A history with nothing in it: these rooms are only subscribed, never written. */
    private static final class NothingStored implements RoomHistory {
        @Override
        public Uni<List<RoomMessage>> before(String room, MessageId before, int limit) {
            return Uni.createFrom().item(List.of());
        }

        @Override
        public Uni<Catchup> after(String room, MessageId since) {
            return Uni.createFrom().item(new Catchup(List.of(), true));
        }

        @Override
        public Uni<Void> forget(String room) {
            return Uni.createFrom().voidItem();
        }
    }

    private static final class IdleOutbound implements Session.Outbound {
        @Override
        public void send(OutgoingFrame frame) {
        }

        @Override
        public void ping(long sequence) {
        }

        @Override
        public boolean backlogged() {
            return false;
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public Executor eventLoop() {
            return Runnable::run;
        }
    }
}
