package io.switchboard.protocol;

/** A frame a client sent, already checked for shape, ids and size; {@code ref} is echoed in every reply. */
public sealed interface ClientFrame {

    String ref();

    record Join(String ref, String room, MessageId since) implements ClientFrame {
    }

    record Leave(String ref, String room) implements ClientFrame {
    }

    record Publish(String ref, String room, String body) implements ClientFrame {
    }

    record Direct(String ref, String to, String body) implements ClientFrame {
    }

    record Typing(String ref, String room) implements ClientFrame {
    }

    record History(String ref, String room, MessageId before, int limit) implements ClientFrame {
    }

    record Presence(String ref, String room) implements ClientFrame {
    }

    record Invite(String ref, String room, String user) implements ClientFrame {
    }

    record Ping(String ref) implements ClientFrame {
    }
}
