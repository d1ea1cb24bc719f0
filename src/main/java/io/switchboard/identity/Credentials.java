package io.switchboard.identity;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.QueryStringDecoder;

/** What a request offers to prove who it is: the query parameters and the Authorization header. */
public record Credentials(Map<String, List<String>> query, String authorization) {

    public static Credentials of(String rawQuery, String authorization) {
        Map<String, List<String>> query = rawQuery == null ? Map.of()
                : new QueryStringDecoder(rawQuery, false).parameters();
        return new Credentials(query, authorization);
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
