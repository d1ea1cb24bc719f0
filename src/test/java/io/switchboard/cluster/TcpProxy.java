package io.switchboard.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.switchboard.testing.ChatTest;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * A TCP proxy on loopback between the application and a backend, which a test can cut (every connection
 * dropped, new ones refused) and restore, without touching the machine's shared service.
 */
final class TcpProxy implements AutoCloseable {

    private final NetServer server;
    private final NetClient client;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    TcpProxy(int targetPort) throws Exception {
        client = ChatTest.sharedVertx().createNetClient();
        server = ChatTest.sharedVertx().createNetServer().connectHandler(inbound -> {
            if (cut) {
                inbound.close();
                return;
            }
            inbound.pause();
            client.connect(targetPort, "127.0.0.1").onComplete(result -> {
                if (result.failed() || cut) {
                    inbound.close();
                    return;
                }
                NetSocket outbound = result.result();
                open.add(inbound);
                open.add(outbound);
                inbound.handler(outbound::write);
                outbound.handler(inbound::write);
                inbound.closeHandler(v -> close(outbound));
                outbound.closeHandler(v -> close(inbound));
                inbound.resume();
            });
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    void cut() {
        cut = true;
        open.forEach(this::close);
    }

    void restore() {
        cut = false;
    }

    private void close(NetSocket socket) {
        open.remove(socket);
        socket.close();
    }

    @Override
    public void close() {
        cut();
        server.close();
        client.close();
    }
}
