package io.switchboard.ws.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.switchboard.config.SwitchboardConfig;

/**
 * Open TCP connections per client address, at most {@code limits.max-connections-per-address} each, so one
 * client cannot take the descriptors every other client needs. Counted when a connection is accepted, before it
 * costs a request parse (see {@link HandshakeDeadline}), and released when it closes. Behind a trusted proxy
 * ({@code quarkus.http.proxy.proxy-address-forwarding}) every TCP peer is the proxy, so the count moves to the
 * upgrade, by the forwarded address ({@link AddressUpgradeCheck}).
 */
@ApplicationScoped
class AddressConnections {

    private static final Logger LOG = Logger.getLogger(AddressConnections.class);
    /** Set on a channel once it is counted, so a keep-alive connection retrying its upgrade is counted once. */
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("switchboard.address-counted");

    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final int cap;
    private final boolean forwarded;

    AddressConnections(SwitchboardConfig config,
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false") boolean forwarded) {
        this.cap = config.limits().maxConnectionsPerAddress();
        this.forwarded = forwarded;
    }

    /** Whether connections are counted by their TCP peer when accepted (no cap, or a proxy in front: not). */
    boolean countsAtAccept() {
        return cap > 0 && !forwarded;
    }

    /** Whether connections are counted by the forwarded address at the upgrade. */
    boolean countsAtUpgrade() {
        return cap > 0 && forwarded;
    }

    /**
     * Counts the channel against the address, until it closes; false, and nothing counted, when the address
     * already holds its cap.
     */
    boolean admit(Channel channel, SocketAddress peer) {
        return !(peer instanceof InetSocketAddress inet) || inet.getAddress() == null
                || admit(channel, inet.getAddress().getHostAddress());
    }

    /** {@link #admit(Channel, SocketAddress)} by an address as text (a forwarded one may not be an IP literal). */
    boolean admit(Channel channel, String address) {
        if (channel.hasAttr(COUNTED)) {
            return true;
        }
        boolean[] admitted = { false };
        open.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            admitted[0] = now < cap;
            return admitted[0] ? now + 1 : count;
        });
        if (!admitted[0]) {
            LOG.debugf("%s holds %d connections already: refused", address, cap);
            return false;
        }
        channel.attr(COUNTED).set(true);
        channel.closeFuture().addListener(closed -> release(address));
        return true;
    }

    private void release(String address) {
        open.computeIfPresent(address, (key, count) -> count > 1 ? count - 1 : null);
    }
}
