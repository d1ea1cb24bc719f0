package io.switchboard.bus;

/**
 * Applies the control envelopes (kick, membership, invitation, stored) the {@link InstanceRoute} brings to this
 * instance. One that its instance never took is dropped: it concerned connections that are gone too.
 */
public interface ControlHandler {

    void apply(Envelope control);
}
