package io.switchboard.protocol;

import java.util.regex.Pattern;

/**
 * A room message id: the millisecond it was stored and a sequence within that millisecond. The text form pads
 * both parts ({@code 0001732300000000-000000}) so ids compare as strings in the same order as messages.
 */
public record MessageId(long millis, long seq) implements Comparable<MessageId> {

    /** The smallest id: nothing is stored before it. */
    public static final MessageId FIRST = new MessageId(0, 0);

    private static final Pattern FORMAT = Pattern.compile("\\d{1,16}-\\d{1,6}");

    public MessageId {
        if (millis < 0 || seq < 0 || seq > 999_999) {
            throw new IllegalArgumentException("message id out of range");
        }
    }

    /** Parses a client-supplied id; null when it is not one. */
    public static MessageId parse(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            return null;
        }
        int dash = text.indexOf('-');
        return new MessageId(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
    }

    /** The id that follows {@code previous} when a message is stored at {@code nowMillis}. */
    public static MessageId next(MessageId previous, long nowMillis) {
        if (previous == null || nowMillis > previous.millis) {
            return new MessageId(nowMillis, 0);
        }
        return new MessageId(previous.millis, previous.seq + 1);
    }


    @Override
    public int compareTo(MessageId other) {
        int byMillis = Long.compare(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compare(seq, other.seq);
    }

    @Override
    public String toString() {
        return String.format("%016d-%06d", millis, seq);
    }
}
