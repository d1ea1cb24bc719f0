package io.switchboard.protocol;

import java.util.Locale;

/** The error codes of PROTOCOL §5. */
public enum ErrorCode {
    BAD_REQUEST,
    TOO_LARGE,
    FORBIDDEN,
    RATE_LIMITED,
    /** The recipient's inbox, or the sender's share of it, holds the most it may: nothing was stored. */
    INBOX_FULL,
    /** Not accepted: a backend failed; the client may retry. */
    UNAVAILABLE,
    /** No outcome within the reply bound yet: the frame may still take effect (send it again with its ref to learn). */
    TIMEOUT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
