package io.switchboard.ws;

import static io.restassured.RestAssured.given;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Hundreds of generated malformed frames at a live server, while two other users chat: every bad frame gets an
 * {@code error}, the server stays up, and the bystanders' messages all arrive.
 */
@QuarkusTest
class BadInputCorpusTest extends ChatTest {

    static final int PER_CONNECTION = 100;
    final Random random = new Random(42);

    @Test
    void everyMalformedFrameIsAnsweredAndNobodyElseIsAffected() {
        String room = clients.id("bystanders");
        ChatClient alice = clients.user(clients.id("alice"));
        ChatClient bob = clients.user(clients.id("bob"));
        alice.request(join(room));
        bob.request(join(room));
        List<Object> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(500);

        List<ChatClient> attackers = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            if (i % PER_CONNECTION == 0) {
                attackers.add(clients.user(clients.id("attacker" + i)));
                alice.send(publish(room, "still here " + i));
            }
            ChatClient attacker = attackers.get(attackers.size() - 1);
            if (corpus.get(i) instanceof Buffer binary) {
                attacker.sendBinary(binary);
            } else {
                attacker.sendText((String) corpus.get(i));
            }
        }

        for (ChatClient attacker : attackers) {
            int sent = Math.min(PER_CONNECTION, corpus.size() - attackers.indexOf(attacker) * PER_CONNECTION);
            for (int i = 0; i < sent; i++) {
                attacker.await("error");
            }
            attacker.assertNothing(f -> !"error".equals(f.getString("type")) && !"welcome".equals(f.getString("type"))
                    && !"pong".equals(f.getString("type")));
        }
        for (int i = 0; i < attackers.size(); i++) {
            String body = "still here " + i * PER_CONNECTION;
            bob.await(f -> body.equals(f.getString("body")));
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    private List<Object> corpus() {
        List<Object> frames = new ArrayList<>();
        String valid = new JsonObject().put("type", "publish").put("room", "lobby").put("body", "hello").encode();
        for (int i = 1; i < valid.length(); i++) {
            frames.add(valid.substring(0, i)); // truncated: not JSON
        }
        frames.add("[".repeat(5000) + "]".repeat(5000)); // nested past Jackson's depth limit
        frames.add("{\"type\":\"join\",\"room\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001));
        for (String junk : List.of("", " ", "null", "true", "42", "\"join\"", "[]", "[{}]", "{}", "{\"ref\":\"x\"}")) {
            frames.add(junk);
        }
        String[] types = { "join", "leave", "publish", "direct", "typing", "history", "presence", "invite" };
        Object[] wrongValues = { 1000, 1.5, true, new JsonObject().put("a", 1), new io.vertx.core.json.JsonArray().add(1) };
        java.util.Map<String, List<String>> fieldsOf = java.util.Map.of("join", List.of("room", "since"),
                "leave", List.of("room"), "publish", List.of("room", "body"), "direct", List.of("to", "body"),
                "typing", List.of("room"), "history", List.of("room", "before", "limit"),
                "presence", List.of("room"), "invite", List.of("room", "user"));
        fieldsOf.forEach((type, fields) -> fields.forEach(field -> {
            for (Object wrong : wrongValues) {
                frames.add(complete(type).put(field, wrong).encode());
            }
        }));
        String[] badIds = { "", " ", "a b", "a/b", "a\u0000b", "ü-room", "😀", "x".repeat(65), "team:", "private:",
                "room\n", "<script>" };
        for (String type : types) {
            for (String id : badIds) {
                frames.add(complete(type).put(type.equals("direct") ? "to" : "room", id).encode());
            }
        }
        for (int i = 0; i < 40; i++) {
            frames.add(new JsonObject().put("type", "t" + Integer.toHexString(random.nextInt())).encode());
        }
        for (String body : List.of("x".repeat(4097), "é".repeat(2049), "😀".repeat(1025))) {
            frames.add(complete("publish").put("body", body).encode());
            frames.add(complete("direct").put("body", body).encode());
        }
        frames.add("{\"type\":\"join\",\"room\":\"" + "r".repeat(60_000) + "\"}");
        frames.add("{\"type\":\"publish\",\"room\":\"\\ud800\",\"body\":\"lone surrogate\"}");
        frames.add("{\"type\":\"history\",\"room\":\"lobby\",\"limit\":0}");
        frames.add("{\"type\":\"history\",\"room\":\"lobby\",\"limit\":1e309}");
        frames.add("{\"type\":\"join\",\"room\":\"lobby\",\"since\":\"99999999999999999-1\"}");
        frames.add("{\"type\":\"ping\",\"ref\":\"" + "r".repeat(65) + "\"}");
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[random.nextInt(200) + 1];
            random.nextBytes(bytes);
            frames.add(Buffer.buffer(bytes));
        }
        while (frames.size() < 520) {
            frames.add(new String(new char[] { (char) ('{' + random.nextInt(3)), '"', (char) random.nextInt(0xD7FF) }));
        }
        return frames;
    }

    /** A frame of the type with every field it needs, valid ones, so that the field put next is what is wrong. */
    private static JsonObject complete(String type) {
        return new JsonObject().put("type", type).put("room", "lobby").put("to", "bob").put("user", "bob")
                .put("body", "hi");
    }
}
