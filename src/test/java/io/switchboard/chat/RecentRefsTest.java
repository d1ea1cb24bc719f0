package io.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.ServerFrame;

/** The outcomes a session remembers by ref, on a clock the test moves. */
class RecentRefsTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final RecentRefs refs = new RecentRefs(clock::get);
    private final AtomicInteger started = new AtomicInteger();

    @Test
    void theSameFrameSentAgainGetsTheFirstOutcomeWhetherKnownOrStillUnderWay() {
        CompletableFuture<ServerFrame> pending = new CompletableFuture<>();
        CompletableFuture<ServerFrame> first = refs.outcome(publish("r1", "hi"), () -> begin(pending));
        CompletableFuture<ServerFrame> whileUnderWay = refs.outcome(publish("r1", "hi"), this::neverBegun);
        pending.complete(new ServerFrame.Ack("r1", "id-1", null));
        CompletableFuture<ServerFrame> afterwards = refs.outcome(publish("r1", "hi"), this::neverBegun);

        assertThat(whileUnderWay).isSameAs(first);
        assertThat(afterwards.join()).isEqualTo(new ServerFrame.Ack("r1", "id-1", null));
        assertThat(started).hasValue(1);
    }

    @Test
    void aRefUsedForAnotherMessageSendsThatMessage() {
        refs.outcome(publish("r1", "hi"), () -> begin(acked("r1")));
        refs.outcome(publish("r1", "hello"), () -> begin(acked("r1")));
        refs.outcome(new ClientFrame.Direct("r1", "lobby", "hello"), () -> begin(acked("r1")));
        refs.outcome(publish("r2", "hello"), () -> begin(acked("r2")));

        assertThat(started).hasValue(4);
    }

    @Test
    void aFailureIsForgottenSoTheFrameIsTriedAgain() {
        refs.outcome(publish("r1", "hi"), () -> begin(CompletableFuture.failedFuture(new IllegalStateException())));
        refs.outcome(publish("r1", "hi"), () -> begin(acked("r1")));

        assertThat(started).hasValue(2);
    }

    @Test
    void anOutcomeIsKeptAMinuteOnceKnownAndForTheLatestRefsOnly() {
        refs.outcome(publish("r1", "hi"), () -> begin(acked("r1")));
        clock.addAndGet(TimeUnit.SECONDS.toNanos(RecentRefs.KEEP_SECONDS));
        refs.outcome(publish("r1", "hi"), this::neverBegun);
        clock.addAndGet(1);
        refs.outcome(publish("r1", "hi"), () -> begin(acked("r1")));
        assertThat(started).hasValue(2);

        for (int i = 0; i < RecentRefs.MAX_REFS; i++) {
            refs.outcome(publish("other" + i, "hi"), () -> begin(acked("other")));
        }
        refs.outcome(publish("r1", "hi"), () -> begin(acked("r1")));

        assertThat(started).hasValue(3 + RecentRefs.MAX_REFS);
    }

    @Test
    void onlyFramesThatMakeAMessageAndCarryARefAreRemembered() {
        assertThat(RecentRefs.remembers(publish("r1", "hi"))).isTrue();
        assertThat(RecentRefs.remembers(new ClientFrame.Direct("r1", "bob", "hi"))).isTrue();
        assertThat(RecentRefs.remembers(publish(null, "hi"))).isFalse();
        assertThat(RecentRefs.remembers(new ClientFrame.Join("r1", "lobby", null))).isFalse();
    }

    private static ClientFrame.Publish publish(String ref, String body) {
        return new ClientFrame.Publish(ref, "lobby", body);
    }

    private static CompletableFuture<ServerFrame> acked(String ref) {
        return CompletableFuture.completedFuture(new ServerFrame.Ack(ref, "id", null));
    }

    private CompletableFuture<ServerFrame> begin(CompletableFuture<ServerFrame> outcome) {
        started.incrementAndGet();
        return outcome;
    }

    private CompletableFuture<ServerFrame> neverBegun() {
        throw new AssertionError("sent a second time");
    }
}
