package io.switchboard.engine.memory;

import io.smallrye.mutiny.Uni;
import io.switchboard.bus.ControlHandler;
import io.switchboard.bus.DirectHandler;
import io.switchboard.bus.Envelope;
import io.switchboard.bus.InstanceRoute;
import io.switchboard.bus.UnroutableException;

/** With one instance, the only instance an envelope can reach is this one: it is handed straight back. */
class MemoryInstanceRoute implements InstanceRoute {

    private final String instanceId;
    private volatile DirectHandler directs;
    private volatile ControlHandler control;

    MemoryInstanceRoute(String instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public void handle(DirectHandler handler) {
        directs = handler;
    }

    @Override
    public void handle(ControlHandler handler) {
        control = handler;
    }

    @Override
    public Uni<Void> send(String target, Envelope envelope) {
        if (!instanceId.equals(target)) {
            return Uni.createFrom().failure(new UnroutableException(target));
        }
        if (envelope instanceof Envelope.Direct direct) {
            return Uni.createFrom().deferred(() -> directs.receive(direct));
        }
        return Uni.createFrom().item(() -> {
            control.apply(envelope);
            return null;
        });
    }
}
