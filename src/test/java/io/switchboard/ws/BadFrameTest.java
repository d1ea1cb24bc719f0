package io.switchboard.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

/** Every malformed frame gets an {@code error} with the right code, and the connection stays usable. */
@QuarkusTest
class BadFrameTest extends ChatTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                  | {"type":                                                | bad_request
            not an object             | [1,2,3]                                                 | bad_request
            a bare string             | "join"                                                  | bad_request
            no type                   | {"room":"lobby"}                                        | bad_request
            type not a string         | {"type":7}                                              | bad_request
            unknown type              | {"type":"shout","room":"lobby"}                         | bad_request
            missing room              | {"type":"join"}                                         | bad_request
            room not a string         | {"type":"join","room":42}                               | bad_request
            invalid room id           | {"type":"join","room":"no spaces allowed"}              | bad_request
            room id too long          | {"type":"join","room":"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"} | bad_request
            team room with no team    | {"type":"join","room":"team:"}                          | bad_request
            invalid since             | {"type":"join","room":"lobby","since":"yesterday"}      | bad_request
            missing body              | {"type":"publish","room":"lobby"}                       | bad_request
            body not a string         | {"type":"publish","room":"lobby","body":{"x":1}}        | bad_request
            invalid recipient         | {"type":"direct","to":"bob smith","body":"hi"}          | bad_request
            limit too large           | {"type":"history","room":"lobby","limit":101}           | bad_request
            limit not a number        | {"type":"history","room":"lobby","limit":"ten"}         | bad_request
            invalid before            | {"type":"history","room":"lobby","before":"-1"}         | bad_request
            invite without user       | {"type":"invite","room":"private:x"}                    | bad_request
            ref not a string          | {"type":"ping","ref":5}                                 | bad_request
            trailing JSON             | {"type":"ping"} {"type":"join","room":"lobby"}          | bad_request
            trailing garbage          | {"type":"ping"}]                                        | bad_request
            duplicate key             | {"type":"ping","type":"join","room":"lobby"}            | bad_request
            duplicate nested key      | {"type":"publish","room":"lobby","body":"x","meta":{"a":1,"a":2}} | bad_request
            limit past 2^64           | {"type":"history","room":"lobby","limit":18446744073709551666} | bad_request
            limit past 2^32           | {"type":"history","room":"lobby","limit":4294967346}    | bad_request
            """)
    void malformedFramesAreRefused(String what, String frame, String code) {
        ChatClient client = clients.user(clients.id("fuzzy"));

        client.sendText(frame);

        JsonObject error = client.await("error");
        assertThat(error.getString("code")).as(what).isEqualTo(code);
        assertThat(error.getString("message")).isNotBlank();
        assertThat(client.request(new JsonObject().put("type", "ping")).getString("type")).isEqualTo("pong");
    }

    @ParameterizedTest
    @CsvSource({ "publish", "direct" })
    void aBodyOverTheLimitIsTooLargeEvenWhereItWouldBeForbidden(String type) {
        ChatClient client = clients.user(clients.id("chatty"));
        JsonObject frame = new JsonObject().put("type", type).put("room", clients.id("not-joined"))
                .put("to", clients.id("bob")).put("body", "é".repeat(2049));

        JsonObject error = client.request(frame);

        assertThat(error.getString("code")).isEqualTo("too_large");
    }

    @ParameterizedTest
    @CsvSource({ "join", "publish", "history" })
    void errorsEchoTheRef(String type) {
        ChatClient client = clients.user(clients.id("ref"));

        client.send(new JsonObject().put("type", type).put("ref", "mine"));

        JsonObject error = client.await("error");
        assertThat(error.getString("ref")).isEqualTo("mine");
    }
}
