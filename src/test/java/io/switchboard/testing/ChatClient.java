package io.switchboard.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A real WebSocket client for tests (the JDK's, whose listener is in place before the handshake, so not even a
 * frame that arrives with it can be missed): it records every frame it receives and lets a test wait, with a
 * bound, for the next frame that matches. Frames are taken in arrival order and each is handed out once.
 */
public final class ChatClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonObject> received = new ArrayList<>();
    private final List<Boolean> taken = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    /** The JDK client takes one send at a time: each waits for the one before. */
    private CompletableFuture<WebSocket> sending;

    private ChatClient() {
    }

    /** Connects to {@code ws} (the /ws URI) with the given query string, e.g. {@code user_id=alice}. */
    public static ChatClient connect(URI ws, String query) {
        ChatClient chat = new ChatClient();
        URI uri = URI.create(ws.toString().replaceFirst("^http", "ws") + (query.isEmpty() ? "" : "?" + query));
        try {
            chat.socket = HTTP.newWebSocketBuilder().buildAsync(uri, chat.new Listener())
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            chat.sending = CompletableFuture.completedFuture(chat.socket);
            return chat;
        } catch (Exception e) {
            throw new IllegalStateException("connect failed: " + e.getMessage(), e);
        }
    }

    /** The HTTP status an upgrade was refused with, or 101 when it was accepted. */
    public static int upgradeStatus(URI ws, String query) {
        try (ChatClient ignored = connect(ws, query)) {
            return 101;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof ExecutionException failed
                    && failed.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** Connects and waits for the welcome frame. */
    public static ChatClient welcomed(URI ws, String query) {
        ChatClient c = connect(ws, query);
        c.await("welcome");
        return c;
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(-1);
        }
    }

    private synchronized void received(String text) {
        received.add(new JsonObject(text));
        taken.add(false);
        notifyAll();
    }

    public ChatClient send(JsonObject frame) {
        return sendText(frame.encode());
    }

    public synchronized ChatClient sendText(String text) {
        sending = sending.thenCompose(ws -> ws.sendText(text, true));
        return this;
    }

    /** Sends one message as several WebSocket frames of at most {@code frameSize} characters. */
    public synchronized ChatClient sendInFrames(String text, int frameSize) {
        for (int at = 0; at < text.length(); at += frameSize) {
            String part = text.substring(at, Math.min(text.length(), at + frameSize));
            boolean last = at + frameSize >= text.length();
            sending = sending.thenCompose(ws -> ws.sendText(part, last));
        }
        return this;
    }

    public synchronized ChatClient sendBinary(Buffer data) {
        sending = sending.thenCompose(ws -> ws.sendBinary(ByteBuffer.wrap(data.getBytes()), true));
        return this;
    }

    /** Sends a frame with a fresh {@code ref} and waits for the reply that echoes it. */
    public JsonObject request(JsonObject frame) {
        String ref = "r" + System.nanoTime();
        send(frame.copy().put("ref", ref));
        return await(f -> ref.equals(f.getString("ref")));
    }

    public JsonObject await(String type) {
        return await(f -> type.equals(f.getString("type")));
    }

    /** Takes the first frame not taken yet that matches, waiting up to {@link #WAIT}. */
    public synchronized JsonObject await(Predicate<JsonObject> match) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (int i = 0; i < received.size(); i++) {
                if (!taken.get(i) && match.test(received.get(i))) {
                    taken.set(i, true);
                    return received.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching frame within " + WAIT.toSeconds() + " s; received " + received
                        + (closeCode.isDone() ? "; closed with " + closeCode.join() : "; still open"));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** Every frame received so far that matches, taken or not. */
    public synchronized List<JsonObject> all(Predicate<JsonObject> match) {
        return received.stream().filter(match).toList();
    }

    /**
     * Proves that nothing matching arrived: sends a ping and waits for its pong, which the server writes after
     * everything it had queued for this connection before.
     */
    public void assertNothing(Predicate<JsonObject> match) {
        request(new JsonObject().put("type", "ping"));
        List<JsonObject> unexpected = all(match);
        if (!unexpected.isEmpty()) {
            throw new AssertionError("unexpected frames: " + unexpected);
        }
    }

    /** Waits for the server to close the connection and returns the close code. */
    public int awaitClose() {
        try {
            return closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + WAIT.toSeconds() + " s", e);
        }
    }

    /**
     * Closes as a well-behaved client does: sends a close frame and keeps reading until the server's close, so
     * every frame the server wrote before it is recorded.
     */
    public void closeGracefully() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        awaitClose();
    }

    /** Closes with a code of the client's choosing, as applications may (3000–4999). */
    public void closeWith(int code) {
        socket.sendClose(code, "client's own reason");
        awaitClose();
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    @Override
    public void close() {
        if (!closeCode.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
            socket.abort();
        }
    }
}
