package io.switchboard.engine.redis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import io.smallrye.mutiny.Uni;
import io.switchboard.room.RoomInfo;
import io.switchboard.room.RoomRegistry;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;

/** Rooms in Redis: a members hash and a meta hash per room, a room set per user, and the set of all rooms. */
@ApplicationScoped
@Typed(RedisRoomRegistry.class)
public class RedisRoomRegistry implements RoomRegistry {

    private static final String OWNER = "owner";
    private static final String INVITED = "invited:";

    /** Counts a room the user creates against the quota; false, counting nothing, when it is used up. */
    static final String QUOTA_FUNCTION = """
            local function within_quota(quota, max, window_ms)
              local made = redis.call('INCR', quota)
              if made == 1 then redis.call('PEXPIRE', quota, window_ms) end
              if made > tonumber(max) then
                redis.call('DECR', quota)
                return false
              end
              return true
            end
            """;

    /** KEYS meta, rooms, quota; ARGV owner, room, max created, window-ms. 1 created, 0 exists, -2 over quota. */
    private static final LuaScript CREATE = new LuaScript(QUOTA_FUNCTION + """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            if not within_quota(KEYS[3], ARGV[3], ARGV[4]) then return -2 end
            redis.call('HSET', KEYS[1], 'owner', ARGV[1])
            redis.call('SADD', KEYS[2], ARGV[2])
            return 1""");

    /**
     * KEYS members, meta, userRooms, rooms, quota; ARGV user, room, now, max stored rooms, max created, window-ms.
     * 1 added, 0 already a member, -1 too many rooms, -2 over the creation quota.
     */
    private static final LuaScript ADD_MEMBER = new LuaScript(QUOTA_FUNCTION + """
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
            if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[4]) then return -1 end
            if redis.call('EXISTS', KEYS[2]) == 0 then
              if not within_quota(KEYS[5], ARGV[5], ARGV[6]) then return -2 end
              redis.call('HSET', KEYS[2], 'owner', ARGV[1])
            end
            redis.call('SADD', KEYS[4], ARGV[2])
            redis.call('SADD', KEYS[3], ARGV[2])
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            return 1""");

    /** KEYS members, meta, userRooms, rooms; ARGV user, room. Deletes the room with its last member. */
    private static final LuaScript REMOVE_MEMBER = new LuaScript("""
            local removed = redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('SREM', KEYS[3], ARGV[2])
            if redis.call('HLEN', KEYS[1]) == 0 then
              redis.call('DEL', KEYS[2])
              redis.call('SREM', KEYS[4], ARGV[2])
            end
            return removed""");

    private final Redis redis;
    private final RedisKeys keys;

    RedisRoomRegistry(Redis redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Uni<Creation> create(String room, String owner, RoomQuota quota) {
        return CREATE.run(redis, List.of(keys.roomMeta(room), keys.rooms(), keys.roomsCreated(owner)),
                List.of(owner, room, String.valueOf(quota.createdPerWindow()), String.valueOf(quota.window().toMillis())))
                .map(reply -> switch (reply.toInteger()) {
                    case 1 -> Creation.CREATED;
                    case 0 -> Creation.EXISTS;
                    default -> Creation.OVER_QUOTA;
                });
    }

    @Override
    public Uni<Optional<RoomInfo>> find(String room) {
        return redis.batch(findRequests(room)).map(replies -> info(room, replies.get(0), replies.get(1)));
    }

    @Override
    public Uni<Joining> addMember(String room, String user, RoomQuota quota) {
        List<String> scriptKeys = List.of(keys.roomMembers(room), keys.roomMeta(room), keys.userRooms(user), keys.rooms(),
                keys.roomsCreated(user));
        return ADD_MEMBER.run(redis, scriptKeys, List.of(user, room, String.valueOf(System.currentTimeMillis()),
                String.valueOf(quota.maxRooms()), String.valueOf(quota.createdPerWindow()),
                String.valueOf(quota.window().toMillis())))
                .map(reply -> switch (reply.toInteger()) {
                    case 1 -> Joining.ADDED;
                    case 0 -> Joining.ALREADY_MEMBER;
                    case -1 -> Joining.TOO_MANY_ROOMS;
                    default -> Joining.OVER_QUOTA;
                });
    }

    @Override
    public Uni<Boolean> removeMember(String room, String user) {
        return REMOVE_MEMBER.run(redis, memberKeys(room, user), List.of(user, room))
                .map(reply -> reply.toInteger() == 1);
    }

    @Override
    public Uni<Void> invite(String room, String user) {
        return redis.send(Request.cmd(Command.HSET).arg(keys.roomMeta(room)).arg(INVITED + user).arg("1"))
                .replaceWithVoid();
    }

    @Override
    public Uni<List<String>> roomsOf(String user) {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(keys.userRooms(user)))
                .map(reply -> Replies.strings(reply).stream().sorted().toList());
    }

    @Override
    public Uni<List<RoomInfo>> list() {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(keys.rooms())).chain(reply -> {
            List<String> rooms = Replies.strings(reply).stream().sorted().toList();
            if (rooms.isEmpty()) {
                return Uni.createFrom().item(List.of());
            }
            List<Request> requests = new ArrayList<>();
            rooms.forEach(room -> requests.addAll(findRequests(room)));
            // one pipelined round trip for every room
            return redis.batch(requests).map(replies -> {
                List<RoomInfo> infos = new ArrayList<>();
                for (int i = 0; i < rooms.size(); i++) {
                    info(rooms.get(i), replies.get(2 * i), replies.get(2 * i + 1)).ifPresent(infos::add);
                }
                return infos;
            });
        });
    }

    private List<Request> findRequests(String room) {
        return List.of(Request.cmd(Command.HGETALL).arg(keys.roomMeta(room)),
                Request.cmd(Command.HKEYS).arg(keys.roomMembers(room)));
    }

    private static Optional<RoomInfo> info(String room, Response metaReply, Response membersReply) {
        Map<String, String> meta = Replies.hash(metaReply);
        String owner = meta.get(OWNER);
        if (owner == null) {
            return Optional.empty();
        }
        Set<String> invited = new HashSet<>();
        meta.keySet().stream().filter(k -> k.startsWith(INVITED)).forEach(k -> invited.add(k.substring(INVITED.length())));
        return Optional.of(new RoomInfo(room, owner, new HashSet<>(Replies.strings(membersReply)), invited));
    }

    private List<String> memberKeys(String room, String user) {
        return List.of(keys.roomMembers(room), keys.roomMeta(room), keys.userRooms(user), keys.rooms());
    }
}
