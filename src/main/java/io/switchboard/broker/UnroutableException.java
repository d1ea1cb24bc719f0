package io.switchboard.broker;

/** No live instance took a message addressed to it. */
public class UnroutableException extends RuntimeException {

    public UnroutableException(String serverId) {
        super("no live instance '" + serverId + "'", null, false, false);
    }
}
