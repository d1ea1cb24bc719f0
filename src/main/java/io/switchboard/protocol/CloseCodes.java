package io.switchboard.protocol;

/** The WebSocket close codes PROTOCOL §5 gives a meaning to. */
public final class CloseCodes {

    /** Flooding after {@code rate_limited}, a slow consumer, an expired token, an administrator's kick. */
    public static final int POLICY = 1008;
    /** A message over the hard size limit. */
    public static final int TOO_BIG = 1009;
    /** The connection could not be set up because a backend is unavailable: retry, maybe elsewhere. */
    public static final int UNAVAILABLE = 1011;
    /** A failure of the server's own (RFC 6455's internal error, the code {@link #UNAVAILABLE} shares): reconnect. */
    public static final int INTERNAL_ERROR = 1011;
    /** The server is shutting down: reconnect to another one. */
    public static final int RESTART = 1012;

    private CloseCodes() {
    }
}
