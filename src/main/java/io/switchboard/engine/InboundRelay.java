package io.switchboard.engine;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.switchboard.broker.InboundHandler;

/**
 * Hands what the distributed engine's parts receive (Redis Pub/Sub, RabbitMQ queues) to the handler the node
 * registered. Registration instead of injection keeps CDI free of a cycle (the handler sends through the broker);
 * what arrives before it, such as messages already waiting in this instance's queue at start, waits for it.
 */
@ApplicationScoped
public class InboundRelay {

    private final CompletableFuture<InboundHandler> first = new CompletableFuture<>();
    private volatile InboundHandler current;

    public void register(InboundHandler handler) {
        current = handler;
        first.complete(handler);
    }

    /** The registered handler, once there is one. */
    public Uni<InboundHandler> handler() {
        InboundHandler now = current;
        return now != null ? Uni.createFrom().item(now) : Uni.createFrom().completionStage(first).map(ignored -> current);
    }

    /** The registered handler, or null before registration (nothing is subscribed then). */
    public InboundHandler current() {
        return current;
    }
}
