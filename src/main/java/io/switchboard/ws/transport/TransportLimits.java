package io.switchboard.ws.transport;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.switchboard.config.SwitchboardConfig;
import io.vertx.core.http.HttpServerOptions;

/**
 * Transport limits Quarkus has no setting for.
 * <ul>
 * <li>A connection the server has read nothing from for {@code liveness.ping-timeout} is closed (Netty's idle
 * handler tells Vert.x, which closes it): a live client answers the server's pings well within it (browsers on
 * their own), a device that went silent does not, and it is cut off even if it stopped reading too, where a close
 * frame would never get through.
 * ({@code liveness.idle-timeout}, Quarkus' {@code quarkus.http.idle-timeout}, covers a socket that never sends a
 * byte.)</li>
 * <li>No WebSocket compression: Vert.x inflates a compressed frame whole before any size check (a 64 KiB frame
 * can become 64 MiB), and offers no bound on it. Per-message deflate is off by property
 * ({@code quarkus.websockets-next.server.per-message-compression-supported}); the older per-frame deflate, which
 * Vert.x also accepts by default, has no property and is turned off here.</li>
 * </ul>
 */
@Singleton
class TransportLimits implements HttpServerOptionsCustomizer {

    private final int readIdleMillis;

    TransportLimits(SwitchboardConfig config) {
        this.readIdleMillis = (int) config.liveness().pingTimeout().toMillis();
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options);
    }

    private void apply(HttpServerOptions options) {
        // Quarkus gives its idle timeout in milliseconds; the unit is shared by every idle timeout of the server
        options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        options.setReadIdleTimeout(readIdleMillis);
        options.setPerFrameWebSocketCompressionSupported(false);
    }
}
