package io.switchboard.api;

import java.util.List;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Identity;
import io.switchboard.node.ApiOperations;
import io.switchboard.node.ApiOperations.RoomDetail;
import io.switchboard.node.ApiOperations.RoomSummary;
import io.switchboard.protocol.Ids;
import io.switchboard.protocol.Utf8;
import io.vertx.core.http.HttpServerRequest;

/** {@code /api/rooms}: the room list, one room's members, and publishing as the system user. */
@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomsResource {

    private final ApiOperations operations;
    private final ApiIdentity identity;
    private final int maxBodyBytes;

    RoomsResource(ApiOperations operations, ApiIdentity identity, SwitchboardConfig config) {
        this.operations = operations;
        this.identity = identity;
        this.maxBodyBytes = config.limits().maxBodyBytes();
    }

    @RegisterForReflection
    public record PostedMessage(String body) {
    }

    @GET
    public Uni<List<RoomSummary>> list(@Context HttpServerRequest request) {
        return identity.require(request).chain(operations::listRooms);
    }

    @GET
    @Path("/{room}")
    public Uni<RoomDetail> room(@RestPath String room, @Context HttpServerRequest request) {
        return identity.require(request).chain(caller -> operations.room(caller, validRoom(room)))
                .map(detail -> detail.orElseThrow(() -> new NotFoundException("no room " + room)));
    }

    @POST
    @Path("/{room}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> publish(@RestPath String room, PostedMessage posted, @Context HttpServerRequest request) {
        return identity.require(request).chain(caller -> publish(caller, room, posted));
    }

    private Uni<Response> publish(Identity caller, String room, PostedMessage posted) {
        if (posted == null || posted.body() == null) {
            throw new BadRequestException("a JSON object with a string 'body' is required");
        }
        if (Utf8.length(posted.body()) > maxBodyBytes) {
            return Uni.createFrom().item(Response.status(413).entity(ApiErrors.body("too_large",
                    "body is over " + maxBodyBytes + " bytes")).build());
        }
        return operations.publish(caller, validRoom(room), posted.body())
                .map(message -> message.orElseThrow(() -> new NotFoundException("no room " + room)))
                .map(message -> Response.status(Response.Status.CREATED).entity(message).build());
    }

    private static String validRoom(String room) {
        if (!Ids.isRoomId(room)) {
            throw new BadRequestException("not a room id");
        }
        return room;
    }
}
