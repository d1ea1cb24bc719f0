package io.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

/** {@code mp.jwt.verify.clock.skew} (10 s here) is allowed both ways: on {@code exp}, and on an {@code iat} ahead. */
@QuarkusTest
@TestProfile(TokenClockSkewTest.TenSecondsOfSkew.class)
class TokenClockSkewTest extends ChatTest {

    public static class TenSecondsOfSkew implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> tokenMode = new HashMap<>(new TokenModeTest.TokenMode().getConfigOverrides());
            tokenMode.put("mp.jwt.verify.clock.skew", "10");
            return tokenMode;
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void aTokenThatExpiredWithinTheSkewIsAcceptedAndKeptOpen() {
        String user = clients.id("late");
        ChatClient client = clients.query("access_token=" + TokenModeTest.claims(user).issuedAt(now() - 300)
                .expiresAt(now() - 2).sign());

        assertThat(client.request(new JsonObject().put("type", "ping")).getString("type")).isEqualTo("pong");
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void aTokenThatExpiredBeyondTheSkewIsRefused() {
        String token = TokenModeTest.claims(clients.id("stale")).issuedAt(now() - 300).expiresAt(now() - 30)
                .sign();

        assertThat(ChatClient.upgradeStatus(ws, "access_token=" + token)).isEqualTo(401);
    }

    @Test
    void aTokenIssuedInTheFutureBeyondTheSkewIsRefused() {
        String ahead = TokenModeTest.claims(clients.id("ahead")).issuedAt(now() + 60).expiresAt(now() + 600).sign();
        String withinSkew = TokenModeTest.claims(clients.id("close")).issuedAt(now() + 5).expiresAt(now() + 600).sign();

        assertThat(ChatClient.upgradeStatus(ws, "access_token=" + ahead)).isEqualTo(401);
        assertThat(ChatClient.upgradeStatus(ws, "access_token=" + withinSkew)).isEqualTo(101);
    }
}
