package io.switchboard.ws.transport;

import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * RFC 6455 §4.2.1: an upgrade carries exactly one {@code Sec-WebSocket-Key}, the base64 of 16 bytes. Vert.x
 * answers any value, an empty or an 8,000-character one included; such a request is answered 400 here.
 */
@ApplicationScoped
class HandshakeKeyCheck implements HttpUpgradeCheck {

    private static final int KEY_BYTES = 16;

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        List<String> keys = context.httpRequest().headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        return keys.size() == 1 && valid(keys.get(0).trim()) ? CheckResult.permitUpgrade()
                : CheckResult.rejectUpgrade(400);
    }

    private static boolean valid(String key) {
        // 24 characters is the encoding of 16 bytes; checked first so a long key is never decoded
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == KEY_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
