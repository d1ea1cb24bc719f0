package io.switchboard.engine.memory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import io.smallrye.mutiny.Uni;
import io.switchboard.presence.Arrivals;
import io.switchboard.presence.SessionInfo;

/** The memory stores answer at once, so an arrival is their calls in order. */
@ApplicationScoped
@Typed(MemoryArrivals.class)
public class MemoryArrivals implements Arrivals {

    private final MemoryRoomRegistry registry;
    private final MemoryPresenceStore presence;
    private final MemoryInbox inbox;

    public MemoryArrivals(MemoryRoomRegistry registry, MemoryPresenceStore presence, MemoryInbox inbox) {
        this.registry = registry;
        this.presence = presence;
        this.inbox = inbox;
    }

    @Override
    public Uni<Arrival> arrive(SessionInfo session, String globalRoom) {
        String user = session.user();
        return registry.addMember(globalRoom, user)
                .chain(() -> presence.add(session))
                .chain(() -> registry.roomsOf(user))
                .chain(rooms -> inbox.waiting(user).map(waiting -> new Arrival(rooms, waiting)));
    }
}
