package io.switchboard.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.ServerFrame;

/**
 * One session's frames that create something (a {@code publish}, a {@code direct}), by their {@code ref}, so that
 * a client sending one again (after a {@code timeout}, or a reply lost with its connection's hiccup) gets the first
 * one's outcome, the same ack with the same id, or waits for it, instead of making a second message. A frame is the
 * same when its ref, type, target and body are: a client that reuses one ref for different messages still sends
 * each. An outcome is kept {@value #KEEP_SECONDS} s once known, for the latest {@value #MAX_REFS} refs; a frame
 * still under way is kept as long as it is. Failures are forgotten: every error but {@code timeout} means nothing
 * was done, so the frame sent again is tried again.
 */
final class RecentRefs {

    static final int MAX_REFS = 64;
    static final int KEEP_SECONDS = 60;
    private static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(KEEP_SECONDS);

    private final LongSupplier nanoClock;
    private final Map<String, Sent> byRef = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
            return size() > MAX_REFS;
        }
    };

    RecentRefs(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Whether a frame's outcome is worth remembering: it has a ref and sending it twice would make two messages. */
    static boolean remembers(ClientFrame frame) {
        return frame.ref() != null && (frame instanceof ClientFrame.Publish || frame instanceof ClientFrame.Direct);
    }

    /** The outcome of the frame sent first with this frame's ref and content, or else of {@code start}, begun now. */
    synchronized CompletableFuture<ServerFrame> outcome(ClientFrame frame, Supplier<CompletableFuture<ServerFrame>> start) {
        Content content = Content.of(frame);
        Sent first = byRef.get(frame.ref());
        if (first != null && first.content.equals(content) && !first.expired(nanoClock.getAsLong())) {
            return first.outcome;
        }
        Sent sent = new Sent(content, start.get());
        byRef.remove(frame.ref());
        byRef.put(frame.ref(), sent);
        sent.outcome.whenComplete((answer, failure) -> known(frame.ref(), sent, failure));
        return sent.outcome;
    }

    private synchronized void known(String ref, Sent sent, Throwable failure) {
        if (failure != null) {
            byRef.remove(ref, sent);
        } else {
            sent.knownAt = nanoClock.getAsLong();
            sent.known = true;
        }
    }

    /** What makes two frames with one ref the same; the body by length and hash, so no body is kept. */
    private record Content(Class<?> type, String target, int length, int hash) {

        static Content of(ClientFrame frame) {
            if (frame instanceof ClientFrame.Publish p) {
                return new Content(ClientFrame.Publish.class, p.room(), p.body().length(), p.body().hashCode());
            }
            ClientFrame.Direct d = (ClientFrame.Direct) frame;
            return new Content(ClientFrame.Direct.class, d.to(), d.body().length(), d.body().hashCode());
        }
    }

    /** Guarded by the {@link RecentRefs} that holds it. */
    private static final class Sent {
        final Content content;
        final CompletableFuture<ServerFrame> outcome;
        boolean known;
        long knownAt;

        Sent(Content content, CompletableFuture<ServerFrame> outcome) {
            this.content = content;
            this.outcome = outcome;
        }

        boolean expired(long now) {
            return known && now - knownAt > KEEP_NANOS;
        }
    }
}
