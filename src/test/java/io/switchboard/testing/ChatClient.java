package io.switchboard.testing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * A real WebSocket client for tests: it records every frame it receives and lets a test wait, with a bound, for
 * the next frame that matches. Frames are taken in arrival order and each is handed out once.
 */
public final class ChatClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);

    private final WebSocketClient client;
    private final ClientWebSocket socket;
    private final List<JsonObject> received = new ArrayList<>();
    private final List<Boolean> taken = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    /** Handlers are in place before the socket connects, so not even a frame sent with the handshake is missed. */
    private ChatClient(WebSocketClient client, ClientWebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(this::onText);
        socket.closeHandler(v -> closeCode.complete(socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode()));
    }

    /** Connects to {@code ws} (the /ws URI) with the given query string, e.g. {@code user_id=alice}. */
    public static ChatClient connect(Vertx vertx, URI ws, String query) {
        // default 64 KiB frames: a longer message goes out in several frames
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 20));
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(ws.getHost()).setPort(ws.getPort()).setURI(ws.getPath() + (query.isEmpty() ? "" : "?" + query))
                .setAllowOriginHeader(false); // an app, not a browser: no Origin header
        try {
            ChatClient chat = new ChatClient(client, client.webSocket());
            chat.socket.connect(options).toCompletionStage().toCompletableFuture()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return chat;
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("connect failed: " + e.getMessage(), e);
        }
    }

    /** The HTTP status an upgrade was refused with, or 101 when it was accepted. */
    public static int upgradeStatus(Vertx vertx, URI ws, String query) {
        try (ChatClient ignored = connect(vertx, ws, query)) {
            return 101;
        } catch (IllegalStateException e) {
            if (e.getCause() != null && e.getCause().getCause() instanceof UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
            throw e;
        }
    }

    /** Connects and waits for the welcome frame, which is returned. */
    public static ChatClient welcomed(Vertx vertx, URI ws, String query) {
        ChatClient c = connect(vertx, ws, query);
        c.await("welcome");
        return c;
    }

    private synchronized void onText(String text) {
        received.add(new JsonObject(text));
        taken.add(false);
        notifyAll();
    }

    public ChatClient send(JsonObject frame) {
        return sendText(frame.encode());
    }

    public ChatClient sendBinary(io.vertx.core.buffer.Buffer data) {
        socket.writeBinaryMessage(data);
        return this;
    }

    public ChatClient sendText(String text) {
        socket.writeTextMessage(text);
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

    public boolean isClosed() {
        return closeCode.isDone();
    }

    @Override
    public void close() {
        if (!closeCode.isDone()) {
            socket.close();
        }
        client.close();
    }
}
