package io.switchboard.ws.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodType;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.ext.web.impl.ServerWebSocketWrapper;

/** What the start says when an upgrade moved something the transport reaches into: the member and who needs it. */
class InternalsMovedTest {

    @Test
    void everyLookupResolvesOnTheQuarkusAndVertxInUse() {
        assertThat(InternalsCheck.LOOKUPS).isNotEmpty().allSatisfy(lookup -> assertThat(lookup.get()).isNotNull());
    }

    @Test
    void aFieldThatIsGoneIsNamedWithThePieceThatReachesForIt() {
        assertThatThrownBy(() -> Internals.field(ServerWebSocketWrapper.class, "moved", ServerWebSocket.class,
                VertxWebSockets.class))
                .isInstanceOf(Internals.Moved.class)
                .hasMessageStartingWith("Quarkus or Vert.x moved what io.switchboard.ws.transport.VertxWebSockets "
                        + "reaches into: io.vertx.ext.web.impl.ServerWebSocketWrapper.moved "
                        + "(a io.vertx.core.http.ServerWebSocket field) is gone (java.lang.NoSuchFieldException")
                .hasMessageEndingWith("Adapt VertxWebSockets to the Quarkus and Vert.x in use.");
    }

    @Test
    void aFieldOfAnotherTypeCountsAsGone() {
        assertThatThrownBy(() -> Internals.field(ServerWebSocketWrapper.class, "delegate", WebSocketBase.class,
                VertxWebSockets.class))
                .isInstanceOf(Internals.Moved.class)
                .hasMessageContaining("ServerWebSocketWrapper.delegate (a io.vertx.core.http.WebSocketBase field)");
    }

    @Test
    void aClassThatIsGoneIsNamedWithTheMethodLookedUpOnIt() {
        assertThatThrownBy(() -> Internals.method("io.quarkus.websockets.next.runtime.Renamed", "webSocket",
                MethodType.methodType(WebSocketBase.class), VertxWebSockets.class))
                .isInstanceOf(Internals.Moved.class)
                .hasMessageContaining("io.quarkus.websockets.next.runtime.Renamed.webSocket (a ()WebSocketBase method) "
                        + "is gone (java.lang.ClassNotFoundException");
    }

    @Test
    void theStartUpCheckFailsWithTheFirstLookupThatFails() {
        assertThatThrownBy(() -> InternalsCheck.resolve(List.of(VertxWebSockets::socketAccessor,
                () -> Internals.field(ServerWebSocketWrapper.class, "moved", ServerWebSocket.class,
                        HandshakeDeadline.class))))
                .isInstanceOf(Internals.Moved.class)
                .hasMessageContaining("HandshakeDeadline reaches into");
    }
}
