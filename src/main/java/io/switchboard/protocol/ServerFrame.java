package io.switchboard.protocol;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Frames the server sends (PROTOCOL §1–§5). Each record carries its {@code type} as the first component so that
 * Jackson writes it first; the short constructors fill it in. Absent optional fields are left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public interface ServerFrame {

    /** The frame's {@code type} on the wire. */
    String type();

    /** The protocol names the instance {@code server} (PROTOCOL §1). */
    @RegisterForReflection
    record Welcome(String type, String user, String session, @JsonProperty("server") String instance,
            List<String> rooms) implements ServerFrame {
        public Welcome(String user, String session, String instance, List<String> rooms) {
            this("welcome", user, session, instance, rooms);
        }
    }

    @RegisterForReflection
    record Member(String user, boolean online) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Joined(String type, String ref, String room, List<Member> members, List<EncodedMessage> missed,
            Boolean complete) implements ServerFrame {
        public Joined(String ref, String room, List<Member> members, List<EncodedMessage> missed, Boolean complete) {
            this("joined", ref, room, members, missed, complete);
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Left(String type, String ref, String room) implements ServerFrame {
        public Left(String ref, String room) {
            this("left", ref, room);
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Ack(String type, String ref, String id, String delivered) implements ServerFrame {
        public Ack(String ref, String id, String delivered) {
            this("ack", ref, id, delivered);
        }
    }

    @RegisterForReflection
    record MemberJoined(String type, String room, String user) implements ServerFrame {
        public MemberJoined(String room, String user) {
            this("member_joined", room, user);
        }
    }

    @RegisterForReflection
    record MemberLeft(String type, String room, String user) implements ServerFrame {
        public MemberLeft(String room, String user) {
            this("member_left", room, user);
        }
    }

    @RegisterForReflection
    record Typing(String type, String room, String from) implements ServerFrame {
        public Typing(String room, String from) {
            this("typing", room, from);
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record History(String type, String ref, String room, List<EncodedMessage> messages, Boolean complete)
            implements ServerFrame {
        /** {@code complete} is false when the byte bound left out older messages of the page, else absent. */
        public History(String ref, String room, List<EncodedMessage> messages, Boolean complete) {
            this("history", ref, room, messages, complete);
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Presence(String type, String ref, String room, List<String> online, Integer count) implements ServerFrame {
        /** {@code count}: for the global room, how many are online, of whom {@code online} lists some; else absent. */
        public Presence(String ref, String room, List<String> online, Integer count) {
            this("presence", ref, room, online, count);
        }
    }

    /**
     * This instance may have missed some of the room's messages and could not get them back (the room's history
     * no longer reaches back that far, or Redis lost it): the client catches up with {@code join} + {@code since}.
     */
    @RegisterForReflection
    record Resync(String type, String room) implements ServerFrame {
        public Resync(String room) {
            this("resync", room);
        }
    }

    @RegisterForReflection
    record Invited(String type, String room, String from) implements ServerFrame {
        public Invited(String room, String from) {
            this("invited", room, from);
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Pong(String type, String ref) implements ServerFrame {
        public Pong(String ref) {
            this("pong", ref);
        }
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Error(String type, String ref, String code, String message) implements ServerFrame {
        public Error(String ref, ErrorCode code, String message) {
            this("error", ref, code.wireName(), message);
        }
    }
}
