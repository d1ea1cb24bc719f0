package io.switchboard.protocol;

import java.util.regex.Pattern;

/** The id formats of PROTOCOL §1. */
public final class Ids {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private Ids() {
    }

    public static boolean isUserId(String value) {
        return value != null && USER.matcher(value).matches();
    }

    /** A room id of the right characters whose type prefix, if any, is complete ({@code team:} needs a team). */
    public static boolean isRoomId(String value) {
        return value != null && ROOM.matcher(value).matches() && RoomType.isWellFormed(value);
    }
}
