package io.switchboard.presence;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.DirectMessage;

/**
 * What a connection needs from shared state when it opens, as one step (one round trip on Redis, where it used
 * to take four): the user becomes a member of the global room, the session becomes present, and the user's
 * rooms and waiting direct messages come back (left in the inbox until the device proves it took them). The
 * session is present before the inbox is read, so a direct message sent meanwhile is either routed to the
 * session or in what is read, never left behind.
 */
public interface Arrivals {

    Uni<Arrival> arrive(SessionInfo session, String globalRoom);

    /** The user's rooms, sorted, the global room included; the inbox's waiting messages, oldest first. */
    record Arrival(List<String> rooms, List<DirectMessage> waiting) {
    }
}
