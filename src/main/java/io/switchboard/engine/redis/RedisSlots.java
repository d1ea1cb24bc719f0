package io.switchboard.engine.redis;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key → slot function (cluster.c {@code keyHashSlot}): CRC16 of the key's hash tag (the text
 * between its first {@code {} and the next {@code }}, when not empty), else of the whole key, modulo 16384. The
 * Vert.x client has one internally, but it is not public and differs from Redis for keys whose first tag is empty.
 */
final class RedisSlots {

    static final int COUNT = 16384;

    private RedisSlots() {
    }

    static int slotOf(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int open = 0;
        while (open < bytes.length && bytes[open] != '{') {
            open++;
        }
        if (open < bytes.length) {
            int close = open + 1;
            while (close < bytes.length && bytes[close] != '}') {
                close++;
            }
            if (close < bytes.length && close > open + 1) {
                return crc16(bytes, open + 1, close) & (COUNT - 1);
            }
        }
        return crc16(bytes, 0, bytes.length) & (COUNT - 1);
    }

    /** CRC16/XMODEM: polynomial 0x1021, initial value 0. */
    static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (bytes[i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }
        return crc;
    }
}
