package io.switchboard.testing;

import io.vertx.core.json.JsonObject;

/** Client frames of PROTOCOL §2, for tests. */
public final class Frames {

    private Frames() {
    }

    public static JsonObject join(String room) {
        return new JsonObject().put("type", "join").put("room", room);
    }

    public static JsonObject joinSince(String room, String since) {
        return join(room).put("since", since);
    }

    public static JsonObject leave(String room) {
        return new JsonObject().put("type", "leave").put("room", room);
    }

    public static JsonObject publish(String room, String body) {
        return new JsonObject().put("type", "publish").put("room", room).put("body", body);
    }

    public static JsonObject direct(String to, String body) {
        return new JsonObject().put("type", "direct").put("to", to).put("body", body);
    }

    public static JsonObject typing(String room) {
        return new JsonObject().put("type", "typing").put("room", room);
    }

    public static JsonObject history(String room) {
        return new JsonObject().put("type", "history").put("room", room);
    }

    public static JsonObject presence(String room) {
        return new JsonObject().put("type", "presence").put("room", room);
    }

    public static JsonObject invite(String room, String user) {
        return new JsonObject().put("type", "invite").put("room", room).put("user", user);
    }

    public static boolean isType(JsonObject frame, String type) {
        return type.equals(frame.getString("type"));
    }
}
