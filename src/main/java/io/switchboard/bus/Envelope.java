package io.switchboard.bus;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.switchboard.protocol.DirectMessage;

/** A message addressed to one instance: a direct message for its local devices, or a control message. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Envelope.Direct.class, name = "direct"),
        @JsonSubTypes.Type(value = Envelope.Kick.class, name = "kick"),
        @JsonSubTypes.Type(value = Envelope.Membership.class, name = "membership"),
        @JsonSubTypes.Type(value = Envelope.Invitation.class, name = "invitation"),
        @JsonSubTypes.Type(value = Envelope.Stored.class, name = "stored")
})
public sealed interface Envelope {

    /**
     * A direct message for the local connections of its recipient and of its sender (but the sending one);
     * {@code forRecipient} says the recipient was connected there, so the inbox takes it if they have gone.
     * {@code retry} marks a second attempt after the first instance was gone: it is never routed a third time.
     * {@code alsoTo} names the other instances the sender gave the message to for the recipient: each of them
     * delivers it or keeps it, so a copy that comes back undelivered is not routed to them again.
     */
    @RegisterForReflection
    record Direct(DirectMessage message, String senderSession, boolean forRecipient, boolean retry,
            Set<String> alsoTo) implements Envelope {

        public Direct {
            alsoTo = alsoTo == null ? Set.of() : Set.copyOf(alsoTo);
        }
    }

    /** Close every local connection of the user. */
    @RegisterForReflection
    record Kick(String user) implements Envelope {
    }

    /**
     * The user joined or left a room on one device ({@code exceptSession}): the user's other devices follow. A join
     * names the message id ({@code after}, may be null) the joining instance had delivered in the room when the
     * join was answered: the other devices get what was posted after it, though they hear the room later.
     */
    @RegisterForReflection
    record Membership(String user, String room, boolean joined, String exceptSession, String after)
            implements Envelope {
    }

    /**
     * A direct message was kept in the user's inbox while one of the user's devices was connecting: that device
     * read the inbox before it arrived, so it is handed over now (and leaves the inbox once a device took it).
     */
    @RegisterForReflection
    record Stored(DirectMessage message) implements Envelope {
    }

    /** The user was invited to a private room. */
    @RegisterForReflection
    record Invitation(String user, String room, String from) implements Envelope {
    }
}
