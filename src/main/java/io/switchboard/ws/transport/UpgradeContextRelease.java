package io.switchboard.ws.transport;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.MultiMap;
import io.switchboard.ws.ChatEndpoint;
import io.switchboard.ws.UpgradeAuthentication;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets an open WebSocket forget most of the HTTP request that upgraded it; an idle connection is mostly what the
 * stack keeps of its upgrade (heap histograms showed it).
 * <ul>
 * <li>With a Quarkus security extension present (smallrye-jwt, for the REST API's tokens) the security layer puts
 * a deferred identity on every request, and websockets-next then keeps the upgrade's whole {@code RoutingContext}
 * for the connection's life: request and response objects, their header maps, the identity's Mutiny chain, about
 * 3 KB of heap per connection. Switchboard never asks Quarkus security who a WebSocket user is
 * ({@link UpgradeAuthentication} decides from the connection's own credentials), so the deferred identity is
 * dropped here, after the security handlers ran; websockets-next then keeps no context.</li>
 * <li>Vert.x keeps the upgrade's header map and websockets-next a copy of it, both for the connection's life:
 * a browser's cookies and user agent would stay twice per connection. Only what the handshake, the upgrade
 * check and a proxy's forwarding headers need is left on the request.</li>
 * <li>What is left is kept under shared strings where they are known: websockets-next's copy lower-cases every
 * name, a new string per header per connection unless the name already is one, and the handshake's values
 * ({@code websocket}, {@code Upgrade}, {@code 13}) are the same for every client. About 0.4 KB per connection.</li>
 * </ul>
 */
@Singleton
class UpgradeContextRelease {

    /** After authentication and the permission check (higher priorities run first), before the endpoint. */
    static final int PRIORITY = SecurityHandlerPriorities.AUTHORIZATION - 1;

    private static final Set<String> KEPT_HEADERS = Set.of("host", "connection", "upgrade", "origin", "authorization",
            "forwarded");
    private static final List<String> KEPT_PREFIXES = List.of("sec-websocket-", "x-forwarded-");
    /** The kept names clients send, each mapped to one shared instance: the exact ones and the usual prefixed ones. */
    private static final Map<String, String> SHARED_NAMES = shared(Stream.concat(KEPT_HEADERS.stream(),
            Stream.of("sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol",
                    "sec-websocket-extensions", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
                    "x-forwarded-port")));
    /** Values every client's handshake carries alike. */
    private static final Map<String, String> SHARED_VALUES = shared(Stream.of("websocket", "Upgrade", "13"));

    void register(@Observes Filters filters) {
        filters.register(this::release, PRIORITY);
    }

    private void release(RoutingContext context) {
        if (ChatEndpoint.PATH.equals(context.normalizedPath())) {
            context.remove(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
            MultiMap headers = context.request().headers();
            for (String name : Set.copyOf(headers.names())) {
                String lowerCase = name.toLowerCase(Locale.ROOT);
                if (!kept(lowerCase)) {
                    headers.remove(name);
                } else if (SHARED_NAMES.containsKey(lowerCase)) {
                    String sharedName = SHARED_NAMES.get(lowerCase);
                    List<String> values = headers.getAll(name);
                    headers.remove(name);
                    values.forEach(value -> headers.add(sharedName, SHARED_VALUES.getOrDefault(value, value)));
                }
            }
        }
        context.next();
    }

    private static Map<String, String> shared(Stream<String> strings) {
        return strings.collect(Collectors.toUnmodifiableMap(Function.identity(), Function.identity()));
    }

    private static boolean kept(String name) {
        return KEPT_HEADERS.contains(name) || KEPT_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
