package io.switchboard.engine.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

/** How envelopes for one instance share RabbitMQ messages: the lane against a publisher the test confirms by hand. */
class InstanceLaneTest {

    /** What was handed to RabbitMQ, each message with the confirm the test gives it. */
    private final List<String> bodies = new ArrayList<>();
    private final List<CompletableFuture<Void>> confirms = new ArrayList<>();
    private final List<InstanceLane> retired = new ArrayList<>();
    private final InstanceLane lane = new InstanceLane(envelopes -> {
        CompletableFuture<Void> confirm = new CompletableFuture<>();
        bodies.add(new String(RabbitInstanceRoute.batch(envelopes), StandardCharsets.UTF_8));
        confirms.add(confirm);
        return Uni.createFrom().completionStage(confirm);
    }, retired::add);

    @Test
    void anEnvelopeGoesAtOnceAndThoseThatComeMeanwhileGoTogetherInOrder() {
        InstanceLane.Pending first = offer("{\"n\":1}");
        InstanceLane.Pending second = offer("{\"n\":2}");
        InstanceLane.Pending third = offer("{\"n\":3}");
        assertThat(bodies).containsExactly("{\"n\":1}");

        confirms.get(0).complete(null);

        assertThat(first.confirmed).isCompleted();
        assertThat(bodies).containsExactly("{\"n\":1}", "[{\"n\":2},{\"n\":3}]");
        assertThat(second.confirmed).isNotDone();
        confirms.get(1).complete(null);
        assertThat(second.confirmed).isCompleted();
        assertThat(third.confirmed).isCompleted();
    }

    @Test
    void aWithdrawnEnvelopeIsNeverPublished() {
        offer("{\"n\":1}");
        InstanceLane.Pending withdrawn = offer("{\"n\":2}");
        offer("{\"n\":3}");

        assertThat(lane.withdraw(withdrawn)).isTrue();
        confirms.get(0).complete(null);

        assertThat(bodies).containsExactly("{\"n\":1}", "{\"n\":3}");
        assertThat(lane.withdraw(withdrawn)).isFalse();
    }

    @Test
    void anEnvelopeAlreadyPublishedCannotBeWithdrawn() {
        InstanceLane.Pending published = offer("{\"n\":1}");

        assertThat(lane.withdraw(published)).isFalse();
    }

    @Test
    void aFailedMessageFailsItsEnvelopesAndTheNextOneStillGoes() {
        InstanceLane.Pending lost = offer("{\"n\":1}");
        InstanceLane.Pending next = offer("{\"n\":2}");

        confirms.get(0).completeExceptionally(new IllegalStateException("channel closed"));

        assertThat(lost.confirmed).isCompletedExceptionally();
        assertThat(bodies).containsExactly("{\"n\":1}", "{\"n\":2}");
        confirms.get(1).complete(null);
        assertThat(next.confirmed).isCompleted();
    }

    @Test
    void aPublisherThatThrowsFailsTheEnvelopeAndLeavesTheLaneFree() {
        InstanceLane throwing = new InstanceLane(envelopes -> {
            throw new IllegalStateException("channel not ready");
        }, retired::add);
        InstanceLane.Pending pending = new InstanceLane.Pending(new byte[] { '{', '}' });

        assertThat(throwing.offer(pending)).isTrue();

        assertThat(pending.confirmed).isCompletedExceptionally();
        assertThat(retired).containsExactly(throwing);
    }

    @Test
    void aMessageCarriesAtMostItsBoundOfEnvelopes() {
        offer("{}");
        for (int i = 0; i < InstanceLane.BATCH_AT_MOST + 1; i++) {
            offer("{}");
        }

        confirms.get(0).complete(null);

        assertThat(bodies.get(1).split(",")).hasSize(InstanceLane.BATCH_AT_MOST);
        confirms.get(1).complete(null);
        assertThat(bodies.get(2)).isEqualTo("{}");
    }

    @Test
    void tooManyWaitingEnvelopesAreRefusedAtOnce() {
        offer("{}");
        for (int i = 0; i < InstanceLane.WAITING_AT_MOST; i++) {
            offer("{}");
        }

        assertThat(offer("{}").confirmed).isCompletedExceptionally();
    }

    @Test
    void anIdleLaneRetiresAndTakesNoMoreEnvelopes() {
        offer("{\"n\":1}");
        assertThat(retired).isEmpty();

        confirms.get(0).complete(null);

        assertThat(retired).containsExactly(lane);
        assertThat(lane.offer(new InstanceLane.Pending(new byte[] { '{', '}' }))).isFalse();
        assertThat(bodies).hasSize(1);
    }

    private InstanceLane.Pending offer(String json) {
        InstanceLane.Pending pending = new InstanceLane.Pending(json.getBytes(StandardCharsets.UTF_8));
        assertThat(lane.offer(pending)).isTrue();
        return pending;
    }
}
