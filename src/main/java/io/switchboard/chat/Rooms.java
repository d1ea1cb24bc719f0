package io.switchboard.chat;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.switchboard.bus.RoomBus;
import io.switchboard.bus.Envelope;
import io.switchboard.bus.RoomEvent;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.identity.Identity;
import io.switchboard.concurrency.FewAtATime;
import io.switchboard.presence.PresenceStore;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.MessageId;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.protocol.RoomMessage;
import io.switchboard.protocol.RoomType;
import io.switchboard.protocol.ServerFrame;
import io.switchboard.room.RoomHistory;
import io.switchboard.room.RoomInfo;
import io.switchboard.room.RoomRegistry;

/** Room use cases: join, leave, publish, typing, history, presence, invite; access is checked in each. */
@ApplicationScoped
class Rooms {

    private static final Logger LOG = Logger.getLogger(Rooms.class);

    private final RoomRegistry registry;
    private final RoomHistory history;
    private final PresenceStore presence;
    private final RoomBus bus;
    private final RoomSubscriptions subscriptions;
    private final RoomDelivery delivery;
    private final DirectMessaging directs;
    private final ReplyBound bound;
    private final StoredBytes storedBytes;
    /**
     * Everyone connected is in the global room, which keeps no member list: its members and presence are the
     * online users, this many of them listed (and all counted), however many there are.
     */
    static final int LISTED_AT_MOST = 100;

    /** The global room counts as one of a user's rooms without being stored: one stored membership less. */
    private final RoomRegistry.RoomQuota quota;
    private final TypingThrottle typingThrottle;
    private final int maxInvitations;
    private final KnownRooms known;
    private final MembershipCheck memberships;

    Rooms(RoomRegistry registry, RoomHistory history, PresenceStore presence, RoomBus bus,
            RoomSubscriptions subscriptions, RoomDelivery delivery, DirectMessaging directs, ReplyBound bound,
            StoredBytes storedBytes, KnownRooms known, MembershipCheck memberships, SwitchboardConfig config) {
        this.known = known;
        this.memberships = memberships;
        this.bound = bound;
        this.storedBytes = storedBytes;
        this.typingThrottle = new TypingThrottle(config.limits().typingInterval(), System::nanoTime);
        this.maxInvitations = config.limits().invitationsPerRoom();
        this.quota = new RoomRegistry.RoomQuota(config.limits().maxRoomsPerUser() - 1,
                config.limits().roomsCreatedPerDay(), Duration.ofDays(1));
        this.registry = registry;
        this.history = history;
        this.presence = presence;
        this.bus = bus;
        this.subscriptions = subscriptions;
        this.delivery = delivery;
        this.directs = directs;
    }

    /** The {@code joined} reply, and the newest message its {@code missed} lists (null when none). */
    record JoinAnswer(ServerFrame.Joined frame, MessageId newestListed) {
    }

    Uni<JoinAnswer> join(Session session, String ref, String room, MessageId since) {
        if (since != null) {
            bound.refuseWhileBacklogged(session);
        }
        Uni<Void> joining = RoomType.of(room) == RoomType.GLOBAL
                ? Uni.createFrom().voidItem() // everyone is in it already, without being stored
                : becomeMember(session, room);
        return joining
                .chain(() -> members(room))
                .chain(members -> since == null
                        ? Uni.createFrom().item(new JoinAnswer(new ServerFrame.Joined(ref, room, members, null, null),
                                null))
                        : history.after(room, since).map(c -> {
                            ReplyBound.Trimmed missed = bound.newest(session, c.messages());
                            return new JoinAnswer(new ServerFrame.Joined(ref, room, members, missed.messages(),
                                    c.complete() && !missed.cut()), newest(c.messages()));
                        }));
    }

    private static MessageId newest(List<RoomMessage> messages) {
        return messages.isEmpty() ? null : messages.get(messages.size() - 1).messageId();
    }

    /**
     * Checks the rules and makes the user a member. The room is heard here before the membership exists, so
     * nothing published once it does is missed; if the registry refuses or fails, that is undone.
     */
    private Uni<Void> becomeMember(Session session, String room) {
        Identity who = session.identity();
        return registry.find(room)
                .invoke(this::remember)
                .chain(info -> admit(who, room, info))
                .chain(() -> subscriptions.add(room, who.userId()))
                .chain(indexed -> registry.addMember(room, who.userId(), quota)
                        .map(Rooms::admitted)
                        .onFailure().invoke(() -> {
                            if (indexed) {
                                subscriptions.remove(room, who.userId());
                            }
                        }))
                .call(newcomer -> newcomer ? announce(session, room, true) : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }

    /** Whether the join added a membership; a refusal of the registry becomes the client's error. */
    private static boolean admitted(RoomRegistry.Joining joining) {
        return switch (joining) {
            case ADDED -> true;
            case ALREADY_MEMBER -> false;
            case TOO_MANY_ROOMS -> throw ProtocolException.forbidden("you are in as many rooms as one user may be in"
                    + " (switchboard.limits.max-rooms-per-user); leave one first");
            case OVER_QUOTA -> throw tooManyCreated();
            case NO_SUCH_ROOM -> throw new ProtocolException(ErrorCode.UNAVAILABLE,
                    "the room was closed, or is being restored, while you joined; retry");
        };
    }

    private static ProtocolException tooManyCreated() {
        return new ProtocolException(ErrorCode.RATE_LIMITED, "you created as many rooms as one user may in 24 hours"
                + " (switchboard.limits.rooms-created-per-day); join an existing one or try later");
    }

    /**
     * Checks the join rules; the first joiner of a private room creates it, unless someone else just did. A
     * private room's history belongs to its life: one created again starts empty, whatever its last life said
     * (and a catch-up from back then answers {@code complete:false}).
     */
    private Uni<Void> admit(Identity who, String room, Optional<RoomInfo> info) {
        return invitation(who, room, info).chain(invited -> {
            RoomAccess.checkJoin(who, room, info, invited);
            if (RoomType.of(room) != RoomType.PRIVATE || info.isPresent()) {
                return Uni.createFrom().voidItem();
            }
            return registry.create(room, who.userId(), quota).chain(created -> switch (created) {
                case CREATED -> {
                    known.created(room, who.userId());
                    yield history.forget(room);
                }
                case EXISTS -> registry.find(room).invoke(this::remember).call(now -> invitation(who, room, now)
                        .invoke(invitedNow -> RoomAccess.checkJoin(who, room, now, invitedNow))).replaceWithVoid();
                case RESTORING -> Uni.createFrom().failure(new ProtocolException(ErrorCode.UNAVAILABLE,
                        "the server lost its shared state a moment ago and is putting its private rooms back; retry in"
                                + " a few seconds"));
                case OVER_QUOTA -> Uni.createFrom().failure(tooManyCreated());
            });
        });
    }

    /** Whether the user holds an invitation to the room; looked up (one of them) only where it decides. */
    Uni<Boolean> invitation(Identity who, String room, Optional<RoomInfo> info) {
        return RoomAccess.needsInvitation(who, room, info) ? registry.isInvited(room, who.userId())
                : Uni.createFrom().item(false);
    }

    Uni<ServerFrame.Left> leave(Session session, String ref, String room) {
        if (RoomType.of(room) == RoomType.GLOBAL) {
            return Uni.createFrom().failure(ProtocolException.forbidden("everyone is a member of " + room));
        }
        String user = session.user();
        return registry.removeMember(room, user)
                .invoke(() -> subscriptions.remove(room, user))
                .call(wasMember -> wasMember ? announce(session, room, false) : Uni.createFrom().voidItem())
                .map(ignored -> new ServerFrame.Left(ref, room));
    }

    /**
     * Within the user's quota of stored bytes: every message published is kept in the room's history. Membership is
     * asked of the shared registry (see {@link MembershipCheck}), as for typing, invitations, history and presence.
     */
    Uni<RoomMessage> publish(Session session, String room, String body) {
        return memberships.isMember(session.user(), room).chain(member -> {
            RoomAccess.checkPublish(session.identity(), room, member);
            return storedBytes.charge(session.user(), body).chain(() -> bus.publish(room, session.user(), body))
                    .invoke(() -> typingThrottle.sent(session.user(), room));
        });
    }

    /** Publishes as the system user (HTTP API, administrators). */
    Uni<RoomMessage> publishAsSystem(String room, String body) {
        return bus.publish(room, Identity.SYSTEM_USER, body);
    }

    Uni<Void> typing(Session session, String room) {
        return memberships.isMember(session.user(), room).chain(member -> {
            RoomAccess.checkMember(session.identity(), room, member);
            if (!typingThrottle.admit(session.user(), room)) {
                // accepted, not passed on: the members saw this user typing here less than an interval ago
                return Uni.createFrom().voidItem();
            }
            return bus.broadcast(new RoomEvent(RoomEvent.Kind.TYPING, room, session.user()));
        });
    }

    Uni<ServerFrame.History> history(Session session, String ref, String room, MessageId before, int limit) {
        bound.refuseWhileBacklogged(session);
        return checkRead(session, room)
                .chain(() -> history.before(room, before, limit))
                .map(messages -> bound.newest(session, messages))
                .map(page -> new ServerFrame.History(ref, room, page.messages(), page.cut() ? Boolean.FALSE : null));
    }

    Uni<ServerFrame.Presence> presence(Session session, String ref, String room) {
        if (RoomType.of(room) == RoomType.GLOBAL) {
            return presence.onlineUsers(LISTED_AT_MOST)
                    .map(online -> new ServerFrame.Presence(ref, room, online.some(), online.count()));
        }
        return checkRead(session, room)
                .chain(() -> registry.find(room))
                .chain(info -> online(info.map(RoomInfo::members).orElse(Set.of())))
                .map(online -> new ServerFrame.Presence(ref, room, online.stream().sorted().toList(), null));
    }

    Uni<Void> invite(Session session, String room, String invitee) {
        if (RoomType.of(room) != RoomType.PRIVATE) {
            return Uni.createFrom().failure(ProtocolException.badRequest("only private rooms take invitations"));
        }
        return memberships.isMember(session.user(), room)
                .invoke(member -> RoomAccess.checkMember(session.identity(), room, member))
                .chain(() -> registry.invite(room, invitee, maxInvitations))
                .chain(stored -> stored
                        ? Uni.createFrom().voidItem().invoke(() -> known.invited(room, invitee))
                                .call(() -> directs.toDevices(invitee, new Envelope.Invitation(invitee, room, session.user())))
                        : Uni.createFrom().failure(ProtocolException.forbidden("this room holds as many invitations"
                                + " as a room may (switchboard.limits.invitations-per-room)")));
    }

    /** The room's members, online ones marked, sorted by user id. */
    Uni<List<ServerFrame.Member>> members(String room) {
        if (RoomType.of(room) == RoomType.GLOBAL) {
            return presence.onlineUsers(LISTED_AT_MOST).map(online -> online.some().stream()
                    .map(user -> new ServerFrame.Member(user, true)).toList());
        }
        return registry.find(room).chain(info -> {
            Set<String> members = info.map(RoomInfo::members).orElse(Set.of());
            return online(members).map(online -> members.stream().sorted()
                    .map(user -> new ServerFrame.Member(user, online.contains(user)))
                    .toList());
        });
    }

    Uni<Set<String>> online(Set<String> users) {
        return users.isEmpty() ? Uni.createFrom().item(Set.of()) : presence.online(users);
    }

    /** Members may read while they may stay; others only where they could join (nothing leaks about the rest). */
    private Uni<Void> checkRead(Session session, String room) {
        return memberships.isMember(session.user(), room).chain(member -> {
            if (member) {
                RoomAccess.checkMember(session.identity(), room, true);
                return Uni.createFrom().voidItem();
            }
            if (RoomType.of(room) != RoomType.PRIVATE) {
                RoomAccess.checkRead(session.identity(), room, Optional.empty(), false);
                return Uni.createFrom().voidItem();
            }
            return registry.find(room).call(info -> invitation(session.identity(), room, info)
                    .invoke(invited -> RoomAccess.checkRead(session.identity(), room, info, invited)))
                    .replaceWithVoid();
        });
    }

    /**
     * Remembers a private room's owner as the registry just showed it and, when it is new here, its invitations, in
     * the background: what this instance puts back should Redis lose its data.
     */
    private void remember(Optional<RoomInfo> info) {
        info.filter(known::learn).ifPresent(room -> registry.invitations(room.room()).subscribe().with(
                invited -> known.invitedAll(room.room(), invited),
                failure -> LOG.debugf("invitations of %s not looked up: %s", room.room(), failure.getMessage())));
    }

    /**
     * Learns the owner and invitations of those private rooms this instance knows nothing of yet (a user who
     * connected, or joined on another device), in the background: they are what this instance puts back should
     * Redis lose its data.
     */
    void recall(Collection<String> rooms) {
        List<String> unknown = rooms.stream()
                .filter(room -> RoomType.of(room) == RoomType.PRIVATE && !known.knows(room)).toList();
        if (unknown.isEmpty()) {
            return;
        }
        FewAtATime.each(unknown, room -> registry.find(room).invoke(this::remember).replaceWithVoid())
                .subscribe().with(failed -> {
                    if (failed > 0) {
                        LOG.debugf("%d private rooms not looked up; the next pass tries again", failed);
                    }
                }, failure -> LOG.debugf("private rooms not looked up: %s", failure.getMessage()));
    }

    /**
     * The rooms a connecting user may still be in: a team room whose team the user's identity no longer lists is
     * left now (its members are told), instead of being listed in the welcome and heard.
     */
    Uni<List<String>> stillAllowed(Session session, List<String> rooms) {
        List<String> revoked = rooms.stream().filter(room -> !RoomAccess.mayStay(session.identity(), room)).toList();
        if (revoked.isEmpty()) {
            return Uni.createFrom().item(rooms);
        }
        List<Uni<Void>> leaves = revoked.stream()
                .map(room -> registry.removeMember(room, session.user())
                        .call(wasMember -> wasMember ? announce(session, room, false) : Uni.createFrom().voidItem())
                        .replaceWithVoid())
                .toList();
        return Uni.join().all(leaves).andFailFast()
                .map(done -> rooms.stream().filter(room -> !revoked.contains(room)).toList());
    }

    /**
     * How far this instance delivered the room, which it hears: the user's other devices, which may hear it only
     * later, catch up from there. Read from the history when the room was heard too recently to know.
     */
    private Uni<MessageId> position(String room) {
        MessageId delivered = delivery.position(room);
        if (delivered != null) {
            return Uni.createFrom().item(delivered);
        }
        return history.before(room, null, 1)
                .map(newest -> newest.isEmpty() ? MessageId.FIRST : newest.get(0).messageId())
                .onFailure().recoverWithNull();
    }

    /** Tells the room's other members, and the user's other devices, that the user joined or left. */
    private Uni<Void> announce(Session session, String room, boolean joined) {
        RoomEvent.Kind kind = joined ? RoomEvent.Kind.MEMBER_JOINED : RoomEvent.Kind.MEMBER_LEFT;
        Uni<Void> members = bus.broadcast(new RoomEvent(kind, room, session.user()));
        Uni<Void> devices = (joined ? position(room) : Uni.createFrom().<MessageId>nullItem())
                .chain(after -> directs.toDevices(session.user(), new Envelope.Membership(session.user(), room,
                        joined, session.id(), after == null ? null : after.toString())));
        return Uni.join().all(members, devices).andFailFast().replaceWithVoid()
                .onFailure().invoke(f -> LOG.warnf("membership news for %s not fully sent: %s", room, f.getMessage()))
                .onFailure().recoverWithNull();
    }
}
