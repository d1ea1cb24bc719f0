package io.switchboard.bus;

/** No live instance took a message addressed to it. */
public class UnroutableException extends RuntimeException {

    public UnroutableException(String instanceId) {
        super("no live instance '" + instanceId + "'", null, false, false);
    }
}
