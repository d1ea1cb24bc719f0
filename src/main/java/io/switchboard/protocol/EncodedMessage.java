package io.switchboard.protocol;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A stored message already encoded by {@link FrameEncoder}: a reply that lists messages is measured by these
 * and sends them as they are, so each message is encoded once.
 */
@RegisterForReflection
public final class EncodedMessage implements JsonSerializable {

    private final String json;

    EncodedMessage(String json) {
        this.json = json;
    }

    public int utf8Length() {
        return Utf8.length(json);
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider serializers) throws IOException {
        generator.writeRawValue(json);
    }

    @Override
    public void serializeWithType(JsonGenerator generator, SerializerProvider serializers, TypeSerializer types)
            throws IOException {
        serialize(generator, serializers);
    }

    @Override
    public String toString() {
        return json;
    }
}
