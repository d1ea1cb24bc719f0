package io.switchboard.protocol;

/** The room types of PROTOCOL §3, told apart by the room id alone. */
public enum RoomType {
    GLOBAL,
    TEAM,
    PRIVATE,
    PUBLIC;

    public static final String GLOBAL_ROOM = "global";
    private static final String TEAM_PREFIX = "team:";
    private static final String PRIVATE_PREFIX = "private:";

    public static RoomType of(String room) {
        if (GLOBAL_ROOM.equals(room)) {
            return GLOBAL;
        }
        if (room.startsWith(TEAM_PREFIX)) {
            return TEAM;
        }
        return room.startsWith(PRIVATE_PREFIX) ? PRIVATE : PUBLIC;
    }

    /** The team a {@code team:<team>[:<name>]} room belongs to. */
    public static String teamOf(String room) {
        String rest = room.substring(TEAM_PREFIX.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    static boolean isWellFormed(String room) {
        return switch (of(room)) {
            case TEAM -> !teamOf(room).isEmpty();
            case PRIVATE -> room.length() > PRIVATE_PREFIX.length();
            default -> true;
        };
    }

    /** {@code Global}, {@code PRIVATE:x}, {@code Team:x}: a special room's name in other letter case. */
    static boolean isLookAlike(String room) {
        String lower = room.toLowerCase(java.util.Locale.ROOT);
        boolean special = lower.equals(GLOBAL_ROOM) || lower.startsWith(TEAM_PREFIX) || lower.startsWith(PRIVATE_PREFIX);
        return special && of(room) == PUBLIC;
    }

    /** The lower-case name used on the wire and in the HTTP API. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
