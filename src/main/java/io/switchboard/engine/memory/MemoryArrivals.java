package io.switchboard.engine.memory;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.smallrye.mutiny.Uni;
import io.switchboard.presence.Arrivals;
import io.switchboard.presence.SessionInfo;

/** The memory stores answer at once, so an arrival is their calls in order. */
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
    public Uni<Arrival> arrive(SessionInfo session, String globalRoom, int maxConnections) {
        String user = session.user();
        if (!presence.addWithin(session, maxConnections)) {
            return Uni.createFrom().item(Arrival.refused());
        }
        return registry.roomsOf(user).chain(rooms -> inbox.waiting(user).map(waiting -> {
            Set<String> withGlobal = new TreeSet<>(rooms);
            withGlobal.add(globalRoom);
            return new Arrival(true, List.copyOf(withGlobal), waiting);
        }));
    }
}
