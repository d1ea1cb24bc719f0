package io.switchboard.chat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Lets at most one {@code typing} per user and room through per interval: a user with ten tabs open would
 * otherwise multiply what every member of the room receives. What it remembers is kept in two generations,
 * replaced as intervals pass, so only the signals of the last two intervals are held, never one per user seen.
 */
final class TypingThrottle {

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private Map<Signal, Long> current = new HashMap<>();
    private Map<Signal, Long> previous = new HashMap<>();
    private long currentSince;

    TypingThrottle(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.currentSince = nanoClock.getAsLong();
    }

    /** Whether this user's typing in this room goes out now; if it does, the next one waits an interval. */
    synchronized boolean admit(String user, String room) {
        long now = nanoClock.getAsLong();
        forgetOldGenerations(now);
        Signal signal = new Signal(user, room);
        Long last = current.get(signal);
        if (last == null) {
            last = previous.get(signal);
        }
        if (last != null && now - last < intervalNanos) {
            return false;
        }
        current.put(signal, now);
        return true;
    }

    /**
     * The user sent a message in the room: members stop showing them typing there (the page does so on a message), so
     * their next typing is news again, however soon it comes.
     */
    synchronized void sent(String user, String room) {
        Signal signal = new Signal(user, room);
        current.remove(signal);
        previous.remove(signal);
    }

    /** How many signals are remembered: those of the last two intervals at most. */
    synchronized int remembered() {
        return current.size() + previous.size();
    }

    /** A signal in a generation older than the previous one is more than an interval old: it no longer counts. */
    private void forgetOldGenerations(long now) {
        long age = now - currentSince;
        if (age < intervalNanos) {
            return;
        }
        previous = age < 2 * intervalNanos ? current : new HashMap<>();
        current = new HashMap<>();
        currentSince = now;
    }

    private record Signal(String user, String room) {
    }
}
