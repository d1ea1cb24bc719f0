package io.switchboard.engine.redis;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.bus.RoomEvent;
import io.switchboard.bus.RoomListener;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.RoomMessage;
import io.vertx.mutiny.redis.client.Response;

/**
 * The one owner of a room's format on Redis: a message is an entry of the room's stream (fields {@value #FROM}
 * and {@value #BODY}, its stream id the message id) and a push on the room's sharded channel, written together
 * by {@link #PUBLISH}, so Redis orders the two and every instance delivers in id order. A push starts with its
 * kind: a stored message ({@code M<stream id> <from> <body>}) or a room event ({@code E<json>}). Every instance
 * builds the {@code message} frame from the same record as history does, so the wire format is defined once.
 */
final class RoomStream {

    private static final Logger LOG = Logger.getLogger(RoomStream.class);
    private static final String FROM = "f";
    private static final String BODY = "b";
    private static final char MESSAGE = 'M';
    private static final char EVENT = 'E';

    /**
     * KEYS stream; ARGV maxlen, retention-ms, channel, from, body. Returns the stream id. The stream and the
     * channel share the room's hash tag, so on a Redis Cluster both are in the room's slot.
     */
    static final LuaScript PUBLISH = new LuaScript("""
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'f', ARGV[4], 'b', ARGV[5])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('SPUBLISH', ARGV[3], 'M' .. id .. ' ' .. ARGV[4] .. ' ' .. ARGV[5])
            return id""");

    private RoomStream() {
    }

    /** The message {@link #PUBLISH} stored under {@code streamId}. */
    static RoomMessage message(String room, String streamId, String from, String body) {
        MessageId id = messageId(streamId);
        return new RoomMessage(id, room, from, body, id.millis());
    }

    /** Stream entries {@code [id, [f, from, b, body]]} as messages. */
    static List<RoomMessage> entries(String room, Response reply) {
        List<RoomMessage> messages = new ArrayList<>();
        if (reply == null) {
            return messages;
        }
        for (Response entry : reply) {
            Response fields = entry.get(1);
            String from = null;
            String body = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                switch (fields.get(i).toString()) {
                    case FROM -> from = fields.get(i + 1).toString();
                    case BODY -> body = fields.get(i + 1).toString();
                    default -> {
                    }
                }
            }
            messages.add(message(room, entry.get(0).toString(), from, body));
        }
        return messages;
    }

    /** The push that broadcasts an event. */
    static String eventPush(RoomEvent event, ObjectMapper mapper) {
        try {
            return EVENT + mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hands a push heard on the room's channel to the listener: a message, or an event. */
    static void read(String room, String push, ObjectMapper mapper, RoomListener listener) {
        if (push.isEmpty()) {
            return;
        }
        if (push.charAt(0) == MESSAGE) {
            int afterId = push.indexOf(' ');
            int afterFrom = push.indexOf(' ', afterId + 1);
            listener.message(message(room, push.substring(1, afterId), push.substring(afterId + 1, afterFrom),
                    push.substring(afterFrom + 1)));
        } else if (push.charAt(0) == EVENT) {
            try {
                listener.event(mapper.readValue(push.substring(1), RoomEvent.class));
            } catch (JsonProcessingException e) {
                LOG.warnf("unreadable room event on %s dropped", room);
            }
        }
    }

    /** The stream id of a message id: the same two parts, {@code <ms>-<seq>} without padding. */
    static String streamId(MessageId id) {
        return id.millis() + "-" + id.seq();
    }

    static MessageId messageId(String streamId) {
        int dash = streamId.indexOf('-');
        return new MessageId(Long.parseLong(streamId.substring(0, dash)), Long.parseLong(streamId.substring(dash + 1)));
    }
}
