package io.switchboard.ws.transport;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Behind a trusted proxy, the per-address cap is applied at the upgrade: Quarkus has rewritten the request's
 * remote address to the forwarded one by then. An address over its cap is answered 429.
 */
@ApplicationScoped
class AddressUpgradeCheck implements HttpUpgradeCheck {

    private final AddressConnections addresses;

    AddressUpgradeCheck(AddressConnections addresses) {
        this.addresses = addresses;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        SocketAddress client = request.remoteAddress();
        if (!addresses.countsAtUpgrade() || client == null || client.hostAddress() == null
                || !(request.connection() instanceof ConnectionBase connection)) {
            return CheckResult.permitUpgrade();
        }
        return addresses.admit(connection.channel(), client.hostAddress()) ? CheckResult.permitUpgrade()
                : CheckResult.rejectUpgrade(429);
    }
}
