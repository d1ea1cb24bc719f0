package io.switchboard.bus;

import io.smallrye.mutiny.Uni;

/** Takes the direct messages the {@link InstanceRoute} brings to this instance. */
public interface DirectHandler {

    /** Completes once it was settled: proven read by a device here, or stored. */
    Uni<Void> receive(Envelope.Direct direct);

    /**
     * A direct message its instance ({@code lostInstance}; null when unknown) never took, as it is gone: it must
     * not be lost, nor sent back there.
     */
    Uni<Void> undelivered(Envelope.Direct direct, String lostInstance);
}
