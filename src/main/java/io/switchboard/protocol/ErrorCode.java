package io.switchboard.protocol;

import java.util.Locale;

/** The error codes of PROTOCOL §5. */
public enum ErrorCode {
    BAD_REQUEST,
    TOO_LARGE,
    FORBIDDEN,
    RATE_LIMITED,
    UNAVAILABLE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
