package io.switchboard.identity;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.Frames.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/** Token mode: JWTs signed with the test key in src/test/resources/jwt, verified by SmallRye JWT. */
@QuarkusTest
@TestProfile(TokenModeTest.TokenMode.class)
class TokenModeTest extends ChatTest {

    public static class TokenMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.auth.mode", "token",
                    "mp.jwt.verify.publickey.location", "jwt/publicKey.pem",
                    "mp.jwt.verify.issuer", "switchboard-test",
                    "mp.jwt.verify.clock.skew", "0",
                    "smallrye.jwt.sign.key.location", "jwt/privateKey.pem");
        }
    }

    static JwtClaimsBuilder claims(String user, String... groups) {
        return Jwt.issuer("switchboard-test").subject(user).groups(Set.of(groups)).expiresIn(Duration.ofMinutes(5));
    }

    @Test
    void aValidTokenInTheQueryConnectsWithItsSubjectAndGroups() {
        String alice = clients.id("alice");
        String team = clients.id("eng");
        ChatClient client = clients.query("access_token=" + claims(alice, team).sign());

        assertThat(client.all(f -> "welcome".equals(f.getString("type"))).get(0).getString("user")).isEqualTo(alice);
        assertThat(client.request(join("team:" + team)).getString("type")).isEqualTo("joined");
        assertThat(client.request(join("team:" + clients.id("other"))).getString("code")).isEqualTo("forbidden");
    }

    @Test
    void aValidTokenInTheAuthorizationHeaderConnects() throws Exception {
        String bob = clients.id("bob");
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(ws.getHost()).setPort(ws.getPort())
                .setURI("/ws").addHeader("Authorization", "Bearer " + claims(bob).sign());
        var socket = vertx.createWebSocketClient().connect(options).toCompletionStage().toCompletableFuture()
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        socket.close();
    }

    @Test
    void everyBadTokenIsRefusedWith401() throws Exception {
        PrivateKey stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        String user = clients.id("mallory");
        Map<String, String> bad = Map.of(
                "no token", "",
                "garbage", "access_token=not.a.jwt",
                "signed by another key", "access_token=" + claims(user).sign(stranger),
                "expired", "access_token=" + claims(user).expiresAt(System.currentTimeMillis() / 1000 - 60).sign(),
                "wrong issuer", "access_token=" + claims(user).issuer("someone-else").sign(),
                "invalid subject", "access_token=" + claims("not a user id").sign(),
                "dev-mode user_id", "user_id=" + user);
        bad.forEach((what, query) -> assertThat(ChatClient.upgradeStatus(ws, query)).as(what).isEqualTo(401));
    }

    @Test
    void aConnectionIsClosedWith1008WhenItsTokenExpires() {
        String carol = clients.id("carol");
        ChatClient client = clients.query("access_token="
                + claims(carol).expiresAt(System.currentTimeMillis() / 1000 + 2).sign());

        assertThat(client.awaitClose()).isEqualTo(1008);
    }

    @Test
    void aSpoofedFromIsIgnored() {
        String alice = clients.id("alice");
        String bob = clients.id("bob");
        ChatClient a = clients.query("access_token=" + claims(alice).sign());
        ChatClient b = clients.query("access_token=" + claims(bob).sign());

        a.send(new JsonObject().put("to", bob).put("body", "hi").put("from", "admin"));

        assertThat(b.await("direct").getString("from")).isEqualTo(alice);
    }

    @Test
    void theHttpApiUsesTheSameIdentityAndOnlyAdministratorsMayAct() {
        String room = clients.id("room");
        clients.query("access_token=" + claims(clients.id("member")).sign()).request(join(room));
        String admin = claims(clients.id("root"), "admin").sign();
        String user = claims(clients.id("user")).sign();

        given().get("/api/rooms").then().statusCode(401);
        given().auth().oauth2(user).get("/api/rooms/{room}", room).then().statusCode(200);
        given().auth().oauth2(user).contentType("application/json").body("{\"body\":\"x\"}")
                .post("/api/rooms/{room}/messages", room).then().statusCode(403);
        given().auth().oauth2(admin).contentType("application/json").body("{\"body\":\"x\"}")
                .post("/api/rooms/{room}/messages", room).then().statusCode(201);
        given().queryParam("access_token", user).delete("/api/users/{user}/sessions", clients.id("member"))
                .then().statusCode(403);
    }
}
