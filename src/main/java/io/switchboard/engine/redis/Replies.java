package io.switchboard.engine.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.mutiny.redis.client.Response;

/** Reads Redis replies the same way whether they came as RESP3 maps or as RESP2 / Lua flat arrays. */
final class Replies {

    private Replies() {
    }

    static Map<String, String> hash(Response reply) {
        Map<String, String> hash = new LinkedHashMap<>();
        if (reply == null) {
            return hash;
        }
        if (reply.getDelegate().isMap()) {
            for (String key : reply.getKeys()) {
                hash.put(key, reply.get(key).toString());
            }
            return hash;
        }
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            hash.put(reply.get(i).toString(), reply.get(i + 1).toString());
        }
        return hash;
    }

    static List<String> strings(Response reply) {
        List<String> values = new ArrayList<>();
        if (reply != null) {
            for (Response item : reply) {
                values.add(item.toString());
            }
        }
        return values;
    }
}
