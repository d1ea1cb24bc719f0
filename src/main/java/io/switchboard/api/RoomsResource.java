package io.switchboard.api;

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
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Identity;
import io.switchboard.chat.ApiOperations;
import io.switchboard.chat.ApiOperations.RoomDetail;
import io.switchboard.chat.ApiOperations.RoomPage;
import io.switchboard.protocol.Ids;
import io.switchboard.protocol.Utf8;
import io.vertx.core.http.HttpServerRequest;

/** {@code /api/rooms}: the room list, one room's members, and publishing as the system user. */
@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomsResource {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

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

    /**
     * A page of {@code limit} rooms (default 100, at most 1000) by id after {@code after}; a full page links the
     * next one ({@code Link: <...>; rel="next"}), so the list never costs more than a page per request.
     */
    @GET
    public Uni<Response> list(@RestQuery String after, @RestQuery String limit, @Context HttpServerRequest request) {
        return identity.require(request).chain(caller -> {
            int size = pageSize(limit);
            return operations.listRooms(caller, after == null ? null : validRoom(after), size)
                    .map(page -> withNextLink(page, size));
        });
    }

    /** Read here, not by JAX-RS, which answers a query parameter it cannot convert with 404. */
    private static int pageSize(String limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        try {
            int size = Integer.parseInt(limit);
            if (size >= 1 && size <= MAX_PAGE) {
                return size;
            }
        } catch (NumberFormatException notAnInt) {
            // answered below, as a number out of range is
        }
        throw new BadRequestException("'limit' must be a whole number from 1 to " + MAX_PAGE);
    }

    private static Response withNextLink(RoomPage page, int size) {
        Response.ResponseBuilder response = Response.ok(page.rooms());
        if (page.next() != null) {
            response.link(UriBuilder.fromPath("/api/rooms").queryParam("after", page.next())
                    .queryParam("limit", size).build(), "next");
        }
        return response.build();
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
