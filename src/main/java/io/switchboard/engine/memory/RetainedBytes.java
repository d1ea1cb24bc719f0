package io.switchboard.engine.memory;

import io.switchboard.protocol.DirectMessage;
import io.switchboard.protocol.RoomMessage;

/**
 * What a stored message keeps on the heap, estimated from the JVM's layout (compressed pointers): honest, not
 * exact. A String holds one byte per character when every character is Latin-1, else two (UTF-16).
 */
final class RetainedBytes {

    /** A String's object and its array's header, rounded: what an empty string costs. */
    private static final int STRING = 40;
    /** A message record's header, fields and its slot in a deque (which may be up to half empty). */
    private static final int ENTRY = 56;

    private RetainedBytes() {
    }

    static long of(RoomMessage message) {
        return ENTRY + of(message.id()) + of(message.room()) + of(message.from()) + of(message.body());
    }

    static long of(DirectMessage message) {
        return ENTRY + of(message.id()) + of(message.from()) + of(message.to()) + of(message.body());
    }

    static long of(String value) {
        if (value == null) {
            return 0;
        }
        int length = value.length();
        for (int i = 0; i < length; i++) {
            if (value.charAt(i) > 0xFF) {
                return STRING + 2L * length;
            }
        }
        return STRING + length;
    }
}
