package io.switchboard.protocol;

import java.util.regex.Pattern;

/** The id formats of PROTOCOL §1. */
public final class Ids {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    /** The author of messages posted through the HTTP API (see {@code Identity.SYSTEM_USER}). */
    private static final String RESERVED_USER = "system";

    private Ids() {
    }

    /** A user id of the right characters; {@code system}, the author of API posts, belongs to no client. */
    public static boolean isUserId(String value) {
        return value != null && USER.matcher(value).matches() && !RESERVED_USER.equalsIgnoreCase(value);
    }

    /**
     * A room id of the right characters whose type prefix, if any, is complete ({@code team:} needs a team), and
     * that is not a look-alike of a special room: {@code Global} or {@code Private:x} would pass for public rooms.
     */
    public static boolean isRoomId(String value) {
        return value != null && ROOM.matcher(value).matches() && RoomType.isWellFormed(value)
                && !RoomType.isLookAlike(value);
    }
}
