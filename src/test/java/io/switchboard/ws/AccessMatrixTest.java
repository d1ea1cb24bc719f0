package io.switchboard.ws;

import static io.switchboard.testing.Frames.history;
import static io.switchboard.testing.Frames.invite;
import static io.switchboard.testing.Frames.join;
import static io.switchboard.testing.Frames.presence;
import static io.switchboard.testing.Frames.publish;
import static io.switchboard.testing.Frames.typing;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatClient;
import io.switchboard.testing.ChatTest;
import io.vertx.core.json.JsonObject;

/**
 * PROTOCOL §3 as a table: every room type × every kind of user × every operation, allowed (A), forbidden (F) or
 * not applicable to the room type (B, {@code bad_request}). Columns: publish, typing, history, presence,
 * invite, join (in that order, join last as it changes membership).
 */
@QuarkusTest
class AccessMatrixTest extends ChatTest {

    enum Role {
        MEMBER, NON_MEMBER, INVITED, TEAM_MEMBER, OUTSIDER, ADMIN
    }

    static final List<String> OPERATIONS = List.of("publish", "typing", "history", "presence", "invite", "join");

    static final Map<String, Map<Role, String>> EXPECTED = Map.of(
            "public", Map.of(
                    Role.MEMBER, "AAAABA", Role.NON_MEMBER, "FFAABA", Role.INVITED, "FFAABA",
                    Role.TEAM_MEMBER, "FFAABA", Role.OUTSIDER, "FFAABA", Role.ADMIN, "FFAABA"),
            "global", Map.of(
                    Role.MEMBER, "FAAABA", Role.NON_MEMBER, "FAAABA", Role.INVITED, "FAAABA",
                    Role.TEAM_MEMBER, "FAAABA", Role.OUTSIDER, "FAAABA", Role.ADMIN, "AAAABA"),
            "team", Map.of(
                    Role.MEMBER, "AAAABA", Role.NON_MEMBER, "FFFFBF", Role.INVITED, "FFFFBF",
                    Role.TEAM_MEMBER, "FFAABA", Role.OUTSIDER, "FFFFBF", Role.ADMIN, "FFFFBF"),
            "private", Map.of(
                    Role.MEMBER, "AAAAAA", Role.NON_MEMBER, "FFFFFF", Role.INVITED, "FFAAFA",
                    Role.TEAM_MEMBER, "FFFFFF", Role.OUTSIDER, "FFFFFF", Role.ADMIN, "FFFFFF"));

    @TestFactory
    List<DynamicTest> everyRoomTypeRoleAndOperation() {
        List<DynamicTest> tests = new ArrayList<>();
        EXPECTED.forEach((type, byRole) -> byRole.forEach((role, outcomes) -> tests.add(DynamicTest.dynamicTest(
                type + " room, " + role, () -> check(type, role, outcomes)))));
        return tests;
    }

    private void check(String type, Role role, String outcomes) {
        // every case with users and rooms of its own
        clients.close();
        clients = new io.switchboard.testing.Clients(ws);
        String team = clients.id("t");
        String room = switch (type) {
            case "global" -> "global";
            case "team" -> "team:" + team;
            case "private" -> "private:" + clients.id("p");
            default -> clients.id("pub");
        };
        ChatClient owner = clients.query("user_id=" + clients.id("owner") + "&groups=" + team);
        if (!"global".equals(room)) {
            assertThat(owner.request(join(room)).getString("type")).isEqualTo("joined");
        }
        String user = clients.id(role.name().toLowerCase());
        ChatClient actor = clients.query("user_id=" + user + groups(role, team));
        if (role == Role.MEMBER && !"global".equals(room)) {
            if ("private".equals(type)) {
                owner.request(invite(room, user));
            }
            assertThat(actor.request(join(room)).getString("type")).isEqualTo("joined");
        }
        if (role == Role.INVITED) {
            owner.request(invite(room, user));
        }
        Map<String, Function<String, JsonObject>> frames = Map.of(
                "publish", r -> publish(r, "hello"), "typing", r -> typing(r), "history", r -> history(r),
                "presence", r -> presence(r), "invite", r -> invite(r, clients.id("guest")), "join", r -> join(r));
        for (int i = 0; i < OPERATIONS.size(); i++) {
            String operation = OPERATIONS.get(i);
            JsonObject reply = actor.request(frames.get(operation).apply(room));
            assertThat(outcome(reply)).as("%s on a %s room by %s: %s", operation, type, role, reply)
                    .isEqualTo(outcomes.charAt(i));
        }
    }

    private static String groups(Role role, String team) {
        return switch (role) {
            case MEMBER, TEAM_MEMBER -> "&groups=" + team;
            case OUTSIDER -> "&groups=sales";
            case ADMIN -> "&groups=admin";
            default -> "";
        };
    }

    private static char outcome(JsonObject reply) {
        if (!"error".equals(reply.getString("type"))) {
            return 'A';
        }
        return switch (reply.getString("code")) {
            case "forbidden" -> 'F';
            case "bad_request" -> 'B';
            default -> '?';
        };
    }
}
