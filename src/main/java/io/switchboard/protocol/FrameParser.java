package io.switchboard.protocol;

import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.switchboard.config.SwitchboardConfig;

/**
 * Turns a text frame into a {@link ClientFrame}, checking shape, ids and size first (PROTOCOL §2: a malformed
 * frame is {@code bad_request} or {@code too_large} even where it would also be {@code forbidden}).
 */
@ApplicationScoped
public class FrameParser {

    static final int MAX_REF_LENGTH = 64;
    static final int DEFAULT_HISTORY_LIMIT = 50;
    static final int MAX_HISTORY_LIMIT = 100;

    /** Strict: a frame is one JSON object, each key once, nothing after it (another parser could read it otherwise). */
    private final ObjectReader reader;
    private final int maxBodyBytes;

    FrameParser(ObjectMapper mapper, SwitchboardConfig config) {
        this.reader = mapper.reader()
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxBodyBytes = config.limits().maxBodyBytes();
    }

    public ClientFrame parse(String text) {
        JsonNode node = readTree(text);
        if (!node.isObject()) {
            throw ProtocolException.badRequest("a frame must be a JSON object");
        }
        String ref = ref(node);
        try {
            return frame(new Fields(node), ref);
        } catch (ProtocolException e) {
            throw e.withRef(ref);
        }
    }

    /** The frame's {@code ref}, if it has a valid one, for replies that refuse a frame without reading it. */
    public String refOf(String text) {
        try {
            JsonNode node = reader.readTree(text);
            return node != null && node.isObject() ? ref(node) : null;
        } catch (JsonProcessingException | ProtocolException e) {
            return null;
        }
    }

    private ClientFrame frame(Fields f, String ref) {
        JsonNode type = f.node.get("type");
        if (type == null || type.isNull()) {
            if (f.node.has("to") && f.node.has("body")) {
                return new ClientFrame.Direct(ref, f.user("to"), f.body());
            }
            throw ProtocolException.badRequest("missing field 'type'");
        }
        if (!type.isTextual()) {
            throw ProtocolException.badRequest("field 'type' must be a string");
        }
        return switch (type.asText()) {
            case "join" -> new ClientFrame.Join(ref, f.room(), f.optionalMessageId("since"));
            case "leave" -> new ClientFrame.Leave(ref, f.room());
            case "publish" -> new ClientFrame.Publish(ref, f.room(), f.body());
            case "direct" -> new ClientFrame.Direct(ref, f.user("to"), f.body());
            case "typing" -> new ClientFrame.Typing(ref, f.room());
            case "history" -> new ClientFrame.History(ref, f.room(), f.optionalMessageId("before"), f.limit());
            case "presence" -> new ClientFrame.Presence(ref, f.room());
            case "invite" -> new ClientFrame.Invite(ref, f.room(), f.user("user"));
            case "ping" -> new ClientFrame.Ping(ref);
            default -> throw ProtocolException.badRequest("unknown type '" + abbreviate(type.asText()) + "'");
        };
    }

    private JsonNode readTree(String text) {
        try {
            JsonNode node = reader.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw ProtocolException.badRequest("not JSON: empty frame");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ProtocolException.badRequest("not one JSON object (malformed, a key twice, or text after it)");
        }
    }

    /** The ref to echo; an ill-typed or overlong ref is refused without being echoed. */
    private static String ref(JsonNode node) {
        JsonNode ref = node.get("ref");
        if (ref == null || ref.isNull()) {
            return null;
        }
        if (!ref.isTextual() || ref.asText().length() > MAX_REF_LENGTH) {
            throw ProtocolException.badRequest("'ref' must be a string of at most " + MAX_REF_LENGTH + " characters");
        }
        return ref.asText();
    }

    private static String abbreviate(String value) {
        return value.length() <= 32 ? value : value.substring(0, 32) + "…";
    }

    /** Typed access to one frame's fields, each failing with a message that names the field. */
    private final class Fields {
        private final JsonNode node;

        Fields(JsonNode node) {
            this.node = node;
        }

        String room() {
            return id("room", Ids::isRoomId, "a room id");
        }

        String user(String field) {
            return id(field, Ids::isUserId, "a user id");
        }

        String body() {
            String body = string("body");
            if (Utf8.length(body) > maxBodyBytes) {
                throw new ProtocolException(ErrorCode.TOO_LARGE, "body is over " + maxBodyBytes + " bytes");
            }
            return body;
        }

        MessageId optionalMessageId(String field) {
            if (!present(field)) {
                return null;
            }
            MessageId id = MessageId.parse(string(field));
            if (id == null) {
                throw ProtocolException.badRequest("'" + field + "' is not a message id");
            }
            return id;
        }

        int limit() {
            if (!present("limit")) {
                return DEFAULT_HISTORY_LIMIT;
            }
            JsonNode limit = node.get("limit");
            // canConvertToInt first: asLong() of 2^64+50 would wrap to 50
            if (!limit.isIntegralNumber() || !limit.canConvertToInt() || limit.asInt() < 1
                    || limit.asInt() > MAX_HISTORY_LIMIT) {
                throw ProtocolException.badRequest("'limit' must be a whole number from 1 to " + MAX_HISTORY_LIMIT);
            }
            return limit.asInt();
        }

        private String id(String field, Predicate<String> valid, String what) {
            String value = string(field);
            if (!valid.test(value)) {
                throw ProtocolException.badRequest("'" + field + "' is not " + what);
            }
            return value;
        }

        private String string(String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw ProtocolException.badRequest("missing field '" + field + "'");
            }
            if (!value.isTextual()) {
                throw ProtocolException.badRequest("field '" + field + "' must be a string");
            }
            return value.asText();
        }

        private boolean present(String field) {
            JsonNode value = node.get(field);
            return value != null && !value.isNull();
        }
    }
}
