package io.switchboard.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.switchboard.identity.Identity;
import io.switchboard.presence.PresenceStore;
import io.switchboard.presence.SessionInfo;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.protocol.RoomType;
import io.switchboard.protocol.ServerFrame;
import io.switchboard.room.RoomInfo;
import io.switchboard.room.RoomRegistry;

/**
 * What the HTTP API may do, with the same access rules as the WebSocket: administrators see every room and may
 * publish as the system user and disconnect users; others see the rooms they could join.
 */
@ApplicationScoped
public class ApiOperations {

    private final RoomRegistry registry;
    private final PresenceStore presence;
    private final Rooms rooms;
    private final DirectMessaging directs;
    /** How long a kick is sent again to an instance that does not take it, before the API says so. */
    static final Duration KICK_RETRIED_FOR = Duration.ofSeconds(3);

    ApiOperations(RoomRegistry registry, PresenceStore presence, Rooms rooms, DirectMessaging directs) {
        this.registry = registry;
        this.presence = presence;
        this.rooms = rooms;
        this.directs = directs;
    }

    @RegisterForReflection
    public record RoomSummary(String room, String type, int members, int online) {
    }

    @RegisterForReflection
    public record RoomDetail(String room, String type, List<ServerFrame.Member> members) {
    }

    @RegisterForReflection
    public record UserPresence(String user, boolean online, List<SessionInfo> sessions) {
    }

    /** A page of the room list, and the {@code after} of the next page (null: this was the last). */
    public record RoomPage(List<RoomSummary> rooms, String next) {
    }

    /**
     * The rooms the caller may see, {@code limit} at a time by id after {@code after}; the first page starts with
     * the global room, its members being whoever is online. A page may list fewer than {@code limit} rooms (those
     * the caller may not see are left out) and still have a next one.
     */
    public Uni<RoomPage> listRooms(Identity who, String after, int limit) {
        return registry.list(after, limit).chain(page -> {
            List<Uni<RoomSummary>> summaries = new ArrayList<>();
            if (after == null) {
                summaries.add(presence.onlineUsers(0).map(online -> new RoomSummary(RoomType.GLOBAL_ROOM,
                        RoomType.GLOBAL.wireName(), online.count(), online.count())));
            }
            page.stream().filter(info -> info.type() != RoomType.GLOBAL)
                    .map(info -> mayRead(who, info).chain(may -> !may ? Uni.createFrom().<RoomSummary> nullItem()
                            : rooms.online(info.members()).map(online -> new RoomSummary(info.room(),
                                    info.type().wireName(), info.members().size(), online.size()))))
                    .forEach(summaries::add);
            String next = page.size() < limit ? null : page.get(page.size() - 1).room();
            if (summaries.isEmpty()) {
                return Uni.createFrom().item(new RoomPage(List.of(), next));
            }
            return Uni.join().all(summaries).andFailFast()
                    .map(listed -> new RoomPage(listed.stream().filter(Objects::nonNull).toList(), next));
        });
    }

    /** Empty for an unknown room; {@code forbidden} for one the caller could not join. */
    public Uni<Optional<RoomDetail>> room(Identity who, String room) {
        if (RoomType.of(room) == RoomType.GLOBAL) {
            return rooms.members(room).map(members -> Optional.of(new RoomDetail(room, RoomType.GLOBAL.wireName(),
                    members)));
        }
        return registry.find(room).chain(info -> {
            if (info.isEmpty()) {
                return Uni.createFrom().item(Optional.<RoomDetail> empty());
            }
            return mayRead(who, info.get()).chain(may -> !may
                    ? Uni.createFrom().failure(ProtocolException.forbidden("you may not see " + room))
                    : rooms.members(room).map(members -> Optional.of(new RoomDetail(room,
                            info.get().type().wireName(), members))));
        });
    }

    public Uni<UserPresence> presence(String user) {
        return presence.sessions(user).map(sessions -> new UserPresence(user, !sessions.isEmpty(), sessions));
    }

    /** Publishes as the system user to a room that exists (administrators only). */
    public Uni<Optional<RoomMessage>> publish(Identity who, String room, String body) {
        requireAdmin(who);
        if (RoomType.of(room) == RoomType.GLOBAL) {
            return rooms.publishAsSystem(room, body).map(Optional::of);
        }
        return registry.find(room).chain(info -> info.isEmpty()
                ? Uni.createFrom().item(Optional.<RoomMessage> empty())
                : rooms.publishAsSystem(room, body).map(Optional::of));
    }

    /**
     * Closes every session of the user on every instance (administrators only), after barring the user from
     * connecting again for {@code ban} when given (zero lifts a bar; null leaves it as it is). Answers the instances that still hold
     * a session of the user and did not take the kick within {@link #KICK_RETRIED_FOR}: empty when it was applied.
     */
    public Uni<Set<String>> disconnect(Identity who, String user, Duration ban) {
        requireAdmin(who);
        Uni<Void> barring = ban == null ? Uni.createFrom().voidItem() : presence.bar(user, ban);
        return barring.chain(() -> directs.kick(user, KICK_RETRIED_FOR));
    }

    private Uni<Boolean> mayRead(Identity who, RoomInfo info) {
        if (who.admin() || info.hasMember(who.userId())) {
            return Uni.createFrom().item(true);
        }
        return rooms.invitation(who, info.room(), Optional.of(info)).map(invited -> {
            try {
                RoomAccess.checkRead(who, info.room(), Optional.of(info), invited);
                return true;
            } catch (ProtocolException e) {
                return false;
            }
        });
    }

    private static void requireAdmin(Identity who) {
        if (!who.admin()) {
            throw ProtocolException.forbidden("administrators only");
        }
    }
}
