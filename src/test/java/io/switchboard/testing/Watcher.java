package io.switchboard.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * A bystander on the same instance: asks {@code ping} and times each {@code pong} until stopped, so a test can say
 * whether somebody else's misbehaviour reached other users.
 */
public final class Watcher implements AutoCloseable {

    private final ChatClient client;
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    public Watcher(ChatClient client) {
        this.client = client;
        this.thread = new Thread(this::run, "watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            long sent = System.nanoTime();
            try {
                client.request(new JsonObject().put("type", "ping"));
            } catch (AssertionError noAnswer) {
                // no pong within ChatClient.WAIT: recorded as that long
            }
            latencies.add(System.nanoTime() - sent);
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops and returns the latency, in milliseconds, that this share of the pings were answered within. */
    public long stopAndGetMillis(double percentile) throws InterruptedException {
        running = false;
        thread.join(ChatClient.WAIT.toMillis() + 1000);
        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        if (sorted.isEmpty()) {
            throw new AssertionError("the watcher got no answer at all");
        }
        Collections.sort(sorted);
        int at = (int) Math.min(sorted.size() - 1, Math.ceil(percentile * sorted.size()) - 1);
        return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, at)));
    }

    /** How many pings were timed. */
    public int count() {
        return latencies.size();
    }

    @Override
    public void close() {
        running = false;
        client.close();
    }
}
