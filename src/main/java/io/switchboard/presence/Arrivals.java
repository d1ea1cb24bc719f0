package io.switchboard.presence;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.DirectMessage;

/**
 * What a connection needs from shared state when it opens, as one step (one round trip on Redis): the session
 * becomes present, unless its user holds {@code maxConnections} already (checked in the same step, so upgrades
 * racing each other cannot pass the limit), and the user's rooms and waiting direct messages come back (left in
 * the inbox until the device proves it took them). The session is present before the inbox is read, so a direct
 * message sent meanwhile is either routed to the session or in what is read, never left behind.
 */
public interface Arrivals {

    Uni<Arrival> arrive(SessionInfo session, String globalRoom, int maxConnections);

    /**
     * Whether the session was admitted; the user's rooms, sorted, the global room (which every user is in without
     * being stored as a member) included; the inbox's waiting messages, oldest first.
     */
    record Arrival(boolean admitted, List<String> rooms, List<DirectMessage> waiting) {

        public static Arrival refused() {
            return new Arrival(false, List.of(), List.of());
        }
    }
}
