package io.switchboard.room;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.DirectMessage;

/** Direct messages that wait for a recipient with no device online. */
public interface Inbox {

    Uni<Void> store(DirectMessage message);

    /** Takes every waiting message of the user, oldest first; a message is handed out by one drain only. */
    Uni<List<DirectMessage>> drain(String user);
}
