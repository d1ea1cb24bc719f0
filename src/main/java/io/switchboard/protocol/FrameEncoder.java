package io.switchboard.protocol;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Encodes server frames to JSON text; a frame meant for many connections is encoded once by the caller. */
@ApplicationScoped
public class FrameEncoder {

    private final ObjectMapper mapper;

    public FrameEncoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A stored message as a reply lists it, encoded once: the reply embeds this text as it is. */
    public EncodedMessage encodeStored(RoomMessage message) {
        return new EncodedMessage(encode(message));
    }

    public String encode(Object frame) {
        try {
            return mapper.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("frame cannot be encoded: " + frame.getClass().getSimpleName(), e);
        }
    }
}
