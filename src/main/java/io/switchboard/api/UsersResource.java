package io.switchboard.api;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.smallrye.mutiny.Uni;
import io.switchboard.node.ApiOperations;
import io.switchboard.node.ApiOperations.UserPresence;
import io.switchboard.protocol.Ids;
import io.vertx.core.http.HttpServerRequest;

/** {@code /api/users}: a user's presence, and disconnecting all of a user's sessions. */
@Path("/api/users/{user}")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

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

    @DELETE
    @Path("/sessions")
    public Uni<Response> disconnect(@RestPath String user, @Context HttpServerRequest request) {
        return identity.require(request).chain(caller -> operations.disconnect(caller, validUser(user)))
                .map(ignored -> Response.noContent().build());
    }

    private static String validUser(String user) {
        if (!Ids.isUserId(user)) {
            throw new BadRequestException("not a user id");
        }
        return user;
    }
}
