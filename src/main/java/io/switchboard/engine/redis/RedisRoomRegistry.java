package io.switchboard.engine.redis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.switchboard.protocol.RoomType;
import io.switchboard.room.RoomInfo;
import io.switchboard.room.RoomRegistry;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Rooms in Redis: a members hash and a meta hash per room (the room's slot), a room set and a creation counter
 * per user (the user's slot), and the set of all rooms. On a Redis Cluster those are three slots, so a membership
 * change is a script per slot in a fixed order: the user's limits are checked and reserved first, then the room
 * changes, then the set of rooms; a later step that fails takes the earlier ones back. A room deleted with its
 * last member gives its creation back to its owner.
 */
public class RedisRoomRegistry implements RoomRegistry {

    private static final Logger LOG = Logger.getLogger(RedisRoomRegistry.class);
    private static final String OWNER = "owner";
    private static final String INVITED = "invited:";

    /**
     * KEYS meta; ARGV the invitation's field, the most invitations. Returns 1 when the user is invited (or the room
     * is gone: nothing to keep), 0 when the room is full of invitations. Counted in the meta hash, so it goes with
     * the room.
     */
    private static final LuaScript INVITE = new LuaScript("""
            if redis.call('HEXISTS', KEYS[1], 'owner') == 0 then return 1 end
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 1 end
            if tonumber(redis.call('HGET', KEYS[1], 'invitations') or '0') >= tonumber(ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], '1')
            redis.call('HINCRBY', KEYS[1], 'invitations', 1)
            return 1""");

    /** Counts a room the user creates against the quota; false, counting nothing, when it is used up. */
    private static final String QUOTA_FUNCTION = """
            local function within_quota(counter, max, window_ms)
              local made = redis.call('INCR', counter)
              if made == 1 then redis.call('PEXPIRE', counter, window_ms) end
              if made > tonumber(max) then
                redis.call('DECR', counter)
                return false
              end
              return true
            end
            """;

    /**
     * KEYS user rooms, rooms-created counter; ARGV room, max rooms, whether the room is new (1/0), max created,
     * window-ms. Reserves the membership: 1 reserved, 0 already there, -1 too many rooms, -2 over the creation quota.
     */
    private static final LuaScript RESERVE = new LuaScript(QUOTA_FUNCTION + """
            if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
            if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
            if ARGV[3] == '1' and not within_quota(KEYS[2], ARGV[4], ARGV[5]) then return -2 end
            redis.call('SADD', KEYS[1], ARGV[1])
            return 1""");

    /** KEYS rooms-created counter; ARGV max created, window-ms. Returns 1 when counted, 0 over the quota. */
    private static final LuaScript COUNT_CREATION = new LuaScript(QUOTA_FUNCTION + """
            if within_quota(KEYS[1], ARGV[1], ARGV[2]) then return 1 end
            return 0""");

    /**
     * KEYS meta, members; ARGV user, now, whether the room may be made (1/0: a private room may not). Returns
     * {created, added}: whether the room and the membership are new; {-1, 0} for a room that may not be made.
     */
    private static final LuaScript JOIN = new LuaScript("""
            if ARGV[3] == '0' and redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0} end
            local created = redis.call('HSETNX', KEYS[1], 'owner', ARGV[1])
            local added = redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2])
            return {created, added}""");

    /**
     * KEYS members, meta; ARGV user. Returns {removed, emptied, owner}; the room goes with its last member, and
     * its owner is named so that the creation can be given back.
     */
    private static final LuaScript LEAVE = new LuaScript("""
            local removed = redis.call('HDEL', KEYS[1], ARGV[1])
            if redis.call('HLEN', KEYS[1]) > 0 then return {removed, 0} end
            local owner = redis.call('HGET', KEYS[2], 'owner')
            redis.call('DEL', KEYS[2])
            return {removed, 1, owner}""");

    /**
     * KEYS meta; ARGV owner, invited users. Creates the room with this owner if it has none, adds the invitations
     * if this is its owner, and returns its owner.
     */
    private static final LuaScript RESTORE = new LuaScript("""
            local owner = redis.call('HGET', KEYS[1], 'owner')
            if not owner then
              redis.call('HSET', KEYS[1], 'owner', ARGV[1])
              owner = ARGV[1]
            end
            if owner == ARGV[1] then
              for i = 2, #ARGV do
                if redis.call('HSET', KEYS[1], 'invited:' .. ARGV[i], '1') == 1 then
                  redis.call('HINCRBY', KEYS[1], 'invitations', 1)
                end
              end
            end
            return owner""");

    /**
     * KEYS rooms-created counter. Takes one creation back; a counter at zero goes (it would only hold a key for a
     * user who created nothing), and one that expired is not made again.
     */
    private static final LuaScript UNCOUNT = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end
            return 1""");

    private final Redis redis;
    private final RedisKeys keys;
    private final SlotBatches batches;

    RedisRoomRegistry(Redis redis, RedisKeys keys, SlotBatches batches) {
        this.redis = redis;
        this.keys = keys;
        this.batches = batches;
    }

    /**
     * Within its owner's quota, and only while the registry is known to be whole: after Redis lost its data, the
     * instances put back the private rooms they know first (see {@link ClusterLiveness}).
     */
    @Override
    public Uni<Creation> create(String room, String owner, RoomQuota quota) {
        return restoring().chain(restoring -> restoring ? Uni.createFrom().item(Creation.RESTORING) : createNow(room,
                owner, quota));
    }

    /** Whether rooms may be missing that an instance is about to put back: the registry's marks say so. */
    private Uni<Boolean> restoring() {
        return redis.batch(List.of(Request.cmd(Command.EXISTS).arg(keys.registryWhole()),
                Request.cmd(Command.EXISTS).arg(keys.registryRestoring())))
                .map(replies -> replies.get(0).toInteger() == 0 || replies.get(1).toInteger() == 1);
    }

    private Uni<Creation> createNow(String room, String owner, RoomQuota quota) {
        return exists(room).chain(exists -> exists ? Uni.createFrom().item(Creation.EXISTS)
                : counted(owner, quota).chain(within -> !within ? Uni.createFrom().item(Creation.OVER_QUOTA)
                        : redis.send(Request.cmd(Command.HSETNX).arg(keys.roomMeta(room)).arg(OWNER).arg(owner))
                                .chain(reply -> reply.toInteger() == 1
                                        ? listed(room).replaceWith(Creation.CREATED)
                                        : uncount(owner).replaceWith(Creation.EXISTS))));
    }

    @Override
    public Uni<Optional<RoomInfo>> find(String room) {
        return redis.batch(findRequests(room)).map(replies -> info(room, replies.get(0), replies.get(1)));
    }

    @Override
    public Uni<Joining> addMember(String room, String user, RoomQuota quota) {
        return redis.batch(List.of(Request.cmd(Command.EXISTS).arg(keys.roomMeta(room)),
                Request.cmd(Command.HEXISTS).arg(keys.roomMembers(room)).arg(user)))
                .chain(state -> {
                    boolean isNew = state.get(0).toInteger() == 0;
                    if (state.get(1).toInteger() == 1) {
                        return Uni.createFrom().item(Joining.ALREADY_MEMBER);
                    }
                    return isNew && RoomType.of(room) == RoomType.PRIVATE ? Uni.createFrom().item(Joining.NO_SUCH_ROOM)
                            : reserve(room, user, quota, isNew);
                });
    }

    @Override
    public Uni<Membership> membership(String room, String user) {
        return redis.batch(List.of(Request.cmd(Command.HEXISTS).arg(keys.roomMembers(room)).arg(user),
                Request.cmd(Command.EXISTS).arg(keys.roomMeta(room))))
                .map(replies -> replies.get(0).toInteger() == 1 ? Membership.MEMBER
                        : replies.get(1).toInteger() == 1 ? Membership.NOT_MEMBER : Membership.NO_ROOM)
                // the registry's keys are in a slot of their own: asked only in the rare case that matters
                .chain(membership -> membership != Membership.NOT_MEMBER ? Uni.createFrom().item(membership)
                        : redis.send(Request.cmd(Command.EXISTS).arg(keys.registryRestoring()))
                                .map(restoring -> restoring.toInteger() == 1 ? Membership.RESTORING : membership));
    }

    @Override
    public Uni<String> restore(String room, String owner, Set<String> invited) {
        List<String> args = new ArrayList<>();
        args.add(owner);
        args.addAll(invited);
        return RESTORE.run(redis, List.of(keys.roomMeta(room)), args).map(Response::toString)
                .call(() -> listed(room));
    }

    private Uni<Joining> reserve(String room, String user, RoomQuota quota, boolean isNew) {
        return RESERVE.run(redis, List.of(keys.userRooms(user), keys.roomsCreated(user)),
                List.of(room, String.valueOf(quota.maxRooms()), isNew ? "1" : "0",
                        String.valueOf(quota.createdPerWindow()), String.valueOf(quota.window().toMillis())))
                .chain(reply -> switch (reply.toInteger()) {
                    case 1 -> join(room, user, isNew);
                    case -1 -> Uni.createFrom().item(Joining.TOO_MANY_ROOMS);
                    case -2 -> Uni.createFrom().item(Joining.OVER_QUOTA);
                    default -> join(room, user, false); // the user's side had it: make sure the room has it too
                });
    }

    /** The room's side of a reserved membership; if it fails, the reservation is taken back. */
    private Uni<Joining> join(String room, String user, boolean counted) {
        return JOIN.run(redis, List.of(keys.roomMeta(room), keys.roomMembers(room)),
                List.of(user, String.valueOf(System.currentTimeMillis()),
                        RoomType.of(room) == RoomType.PRIVATE ? "0" : "1"))
                .onFailure().call(failure -> unreserve(room, user, counted))
                .chain(reply -> {
                    if (reply.get(0).toInteger() == -1) {
                        return unreserve(room, user, counted).replaceWith(Joining.NO_SUCH_ROOM);
                    }
                    boolean created = reply.get(0).toInteger() == 1;
                    // another user created the room between the look and the join: the count was not this user's
                    Uni<Void> count = counted && !created ? uncount(user) : Uni.createFrom().voidItem();
                    Uni<Void> listing = created ? listed(room) : Uni.createFrom().voidItem();
                    Joining outcome = reply.get(1).toInteger() == 1 ? Joining.ADDED : Joining.ALREADY_MEMBER;
                    return Uni.join().all(count, listing).andFailFast().replaceWith(outcome);
                });
    }

    private Uni<Void> unreserve(String room, String user, boolean counted) {
        Uni<Response> reservation = redis.send(Request.cmd(Command.SREM).arg(keys.userRooms(user)).arg(room));
        return (counted ? reservation.chain(() -> uncount(user)) : reservation.replaceWithVoid())
                .onFailure().invoke(failure -> LOG.warnf("a failed join of %s to %s is not fully taken back: %s",
                        user, room, failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    @Override
    public Uni<Boolean> removeMember(String room, String user) {
        return LEAVE.run(redis, List.of(keys.roomMembers(room), keys.roomMeta(room)), List.of(user))
                .chain(reply -> {
                    Uni<Void> mine = redis.send(Request.cmd(Command.SREM).arg(keys.userRooms(user)).arg(room))
                            .replaceWithVoid();
                    boolean emptied = reply.get(1).toInteger() == 1;
                    Uni<Void> listing = emptied
                            ? redis.send(Request.cmd(Command.SREM).arg(keys.rooms()).arg(room)).replaceWithVoid()
                            : Uni.createFrom().voidItem();
                    // a room that is gone costs its creator nothing any more (its history is charged to its authors)
                    Uni<Void> creation = emptied && reply.get(2) != null
                            ? uncount(reply.get(2).toString())
                            : Uni.createFrom().voidItem();
                    return Uni.join().all(mine, listing, creation).andFailFast()
                            .replaceWith(reply.get(0).toInteger() == 1);
                });
    }

    @Override
    public Uni<Boolean> invite(String room, String user, int maxInvitations) {
        return INVITE.run(redis, List.of(keys.roomMeta(room)), List.of(INVITED + user, String.valueOf(maxInvitations)))
                .map(reply -> reply.toInteger() == 1);
    }

    @Override
    public Uni<Boolean> isInvited(String room, String user) {
        return redis.send(Request.cmd(Command.HEXISTS).arg(keys.roomMeta(room)).arg(INVITED + user))
                .map(reply -> reply.toInteger() == 1);
    }

    @Override
    public Uni<Set<String>> invitations(String room) {
        return redis.send(Request.cmd(Command.HKEYS).arg(keys.roomMeta(room))).map(fields -> {
            Set<String> invited = new HashSet<>();
            for (String field : Replies.strings(fields)) {
                if (field.startsWith(INVITED)) {
                    invited.add(field.substring(INVITED.length()));
                }
            }
            return invited;
        });
    }

    @Override
    public Uni<List<String>> roomsOf(String user) {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(keys.userRooms(user)))
                .map(reply -> Replies.strings(reply).stream().sorted().toList());
    }

    /**
     * A page of rooms, each looked up in its own slot, batched by slot. The ids are one set, read whole (a string
     * each); only the page's rooms are looked up.
     */
    @Override
    public Uni<List<RoomInfo>> list(String after, int limit) {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(keys.rooms())).chain(reply -> {
            List<String> rooms = Replies.strings(reply).stream()
                    .filter(room -> after == null || room.compareTo(after) > 0)
                    .sorted().limit(limit).toList();
            List<Request> requests = new ArrayList<>();
            List<String> placedBy = new ArrayList<>();
            for (String room : rooms) {
                requests.addAll(findRequests(room));
                placedBy.add(keys.roomMeta(room));
                placedBy.add(keys.roomMeta(room));
            }
            return batches.send(requests, placedBy).map(replies -> {
                List<RoomInfo> found = new ArrayList<>();
                for (int i = 0; i < rooms.size(); i++) {
                    info(rooms.get(i), replies.get(2 * i), replies.get(2 * i + 1)).ifPresent(found::add);
                }
                return found;
            });
        });
    }

    private Uni<Boolean> exists(String room) {
        return redis.send(Request.cmd(Command.EXISTS).arg(keys.roomMeta(room))).map(reply -> reply.toInteger() == 1);
    }

    /** Counts a room the user is about to create; false, counting nothing, when the quota is used up. */
    private Uni<Boolean> counted(String user, RoomQuota quota) {
        return COUNT_CREATION.run(redis, List.of(keys.roomsCreated(user)),
                List.of(String.valueOf(quota.createdPerWindow()), String.valueOf(quota.window().toMillis())))
                .map(reply -> reply.toInteger() == 1);
    }

    private Uni<Void> uncount(String user) {
        return UNCOUNT.run(redis, List.of(keys.roomsCreated(user)), List.of()).replaceWithVoid();
    }

    private Uni<Void> listed(String room) {
        return redis.send(Request.cmd(Command.SADD).arg(keys.rooms()).arg(room)).replaceWithVoid();
    }

    /** The owner alone of the meta hash: its invitations are looked up one at a time. */
    private List<Request> findRequests(String room) {
        return List.of(Request.cmd(Command.HGET).arg(keys.roomMeta(room)).arg(OWNER),
                Request.cmd(Command.HKEYS).arg(keys.roomMembers(room)));
    }

    private static Optional<RoomInfo> info(String room, Response ownerReply, Response membersReply) {
        if (ownerReply == null) {
            return Optional.empty();
        }
        return Optional.of(new RoomInfo(room, ownerReply.toString(), new HashSet<>(Replies.strings(membersReply))));
    }
}
