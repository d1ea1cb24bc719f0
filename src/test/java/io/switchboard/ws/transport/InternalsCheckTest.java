package io.switchboard.ws.transport;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The check of the internals runs as the application starts, not at the first connection: nothing injects it, so
 * only the start-up event made it (a start it failed would have failed this test's start too).
 */
@QuarkusTest
class InternalsCheckTest {

    @Test
    void ranAsTheApplicationStarted() {
        assertThat(Arc.container().getActiveContext(Singleton.class).getState().getContextualInstances().keySet())
                .anySatisfy(bean -> assertThat(bean.getBeanClass()).isEqualTo(InternalsCheck.class));
    }
}
