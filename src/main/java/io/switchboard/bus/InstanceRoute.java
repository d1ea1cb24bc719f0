package io.switchboard.bus;

import io.smallrye.mutiny.Uni;

/**
 * Carries envelopes to one instance. What arrives for this instance goes to the handler of its kind: direct
 * messages to the {@link DirectHandler}, control envelopes to the {@link ControlHandler}. What arrives before its
 * handler is registered (messages already waiting for this instance at start) waits for it.
 */
public interface InstanceRoute {

    void handle(DirectHandler handler);

    void handle(ControlHandler handler);

    /** Sends to one instance; fails with {@link UnroutableException} when that instance cannot take it. */
    Uni<Void> send(String instanceId, Envelope envelope);
}
