package io.switchboard.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;

@QuarkusTest
class UpgradeAuthenticationTest extends ChatTest {

    @Test
    void anonymousUpgradeIsRefusedWith401() {
        assertThat(ChatClient.upgradeStatus(ws, "")).isEqualTo(401);
    }

    @Test
    void invalidUserIdIsRefusedWith401() {
        assertThat(ChatClient.upgradeStatus(ws, "user_id=no%20spaces")).isEqualTo(401);
        assertThat(ChatClient.upgradeStatus(ws, "user_id=" + "x".repeat(65))).isEqualTo(401);
    }

    @Test
    void validUserIdIsAccepted() {
        assertThat(ChatClient.upgradeStatus(ws, "user_id=" + clients.id("carol"))).isEqualTo(101);
    }
}
