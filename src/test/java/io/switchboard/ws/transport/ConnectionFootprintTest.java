package io.switchboard.ws.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Mutiny's small buffer size, which websockets-next's per-connection queue takes its first chunk from, is the
 * footprint's once the application has started.
 */
@QuarkusTest
class ConnectionFootprintTest {

    @Test
    void aConnectionsQueueStartsWithTheSmallestChunk() {
        assertThat(Infrastructure.getBufferSizeS()).isEqualTo(ConnectionFootprint.QUEUE_CHUNK);
    }
}
