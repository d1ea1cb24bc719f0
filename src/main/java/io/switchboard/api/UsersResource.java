package io.switchboard.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.smallrye.mutiny.Uni;
import io.switchboard.chat.ApiOperations;
import io.switchboard.chat.ApiOperations.UserPresence;
import io.switchboard.protocol.Ids;
import io.vertx.core.http.HttpServerRequest;

/** {@code /api/users}: a user's presence, and disconnecting all of a user's sessions. */
@Path("/api/users/{user}")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    static final Duration LONGEST_BAN = Duration.ofDays(30);

    private final ApiOperations operations;
    private final ApiIdentity identity;

    UsersResource(ApiOperations operations, ApiIdentity identity) {
        this.operations = operations;
        this.identity = identity;
    }

    @GET
    @Path("/presence")
    public Uni<UserPresence> presence(@RestPath String user, @Context HttpServerRequest request) {
        return identity.require(request).chain(caller -> operations.presence(validUser(user)));
    }

    /**
     * Closes every session of the user (administrators): 204 once every instance holding one took the kick, 503
     * naming the instances that did not within a few seconds. {@code ban} (an ISO-8601 duration, at most
     * {@link #LONGEST_BAN}) also bars the user from connecting for that long; {@code PT0S} lifts a bar.
     */
    @DELETE
    @Path("/sessions")
    public Uni<Response> disconnect(@RestPath String user, @RestQuery String ban, @Context HttpServerRequest request) {
        Duration barred = validBan(ban);
        return identity.require(request).chain(caller -> operations.disconnect(caller, validUser(user), barred))
                .map(missed -> missed.isEmpty() ? Response.noContent().build()
                        : Response.status(503).entity(Map.of("code", "unavailable",
                                "message", "the kick did not reach every instance holding a session of " + user
                                        + "; retry",
                                "instances", List.copyOf(missed))).build());
    }

    private static Duration validBan(String ban) {
        if (ban == null) {
            return null; // a kick alone: a bar in place stays
        }
        try {
            Duration span = Duration.parse(ban);
            if (!span.isNegative() && span.compareTo(LONGEST_BAN) <= 0) {
                return span;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw new BadRequestException("ban is an ISO-8601 duration from PT0S to P30D, like PT10M");
    }

    private static String validUser(String user) {
        if (!Ids.isUserId(user)) {
            throw new BadRequestException("not a user id");
        }
        return user;
    }
}
