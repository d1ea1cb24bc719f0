package io.switchboard.identity;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.Frames.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.util.KeyUtils;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;

/**
 * A token's {@code groups} is an array of strings or nothing: any other shape is refused with 401, at the upgrade
 * and on the HTTP API, never a 500, and a string is not split into several groups.
 */
@QuarkusTest
@TestProfile(TokenModeTest.TokenMode.class)
class TokenGroupsClaimTest extends ChatTest {

    /** Signed with jose4j: SmallRye's builder refuses to write such a claim, a hand-made token need not. */
    private String token(Object groups) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer("switchboard-test");
            claims.setSubject(clients.id("user"));
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(5);
            claims.setClaim("groups", groups);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(KeyUtils.readPrivateKey("jwt/privateKey.pem"));
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void groupsThatAreNotAnArrayOfStringsAreRefusedWith401() {
        Map<String, Object> bad = Map.of(
                "an object", Map.of("team", "admin"),
                "a number", 7,
                "a string with a space", "eng admin",
                "an array with a number", List.of("eng", 7));

        bad.forEach((what, groups) -> {
            String token = token(groups);
            assertThat(ChatClient.upgradeStatus(ws, "access_token=" + token)).as(what).isEqualTo(401);
            given().auth().oauth2(token).get("/api/rooms").then().statusCode(401);
        });
    }

    @Test
    void anArrayOfGroupsStillGivesItsTeams() {
        String team = clients.id("eng");
        ChatClient client = clients.query("access_token=" + token(List.of(team)));

        assertThat(client.request(join("team:" + team)).getString("type")).isEqualTo("joined");
    }
}
