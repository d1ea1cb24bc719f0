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

    /** KEYS meta, rooms; ARGV owner, room. Returns 1 when the room was created. */
    private static final LuaScript CREATE = new LuaScript("""
            local created = redis.call('HSETNX', KEYS[1], 'owner', ARGV[1])
            redis.call('SADD', KEYS[2], ARGV[2])
            return created""");

    /** Makes the user a member, creating the room if need be; returns 1 when the user was not a member. */
    static final String ADD_MEMBER_FUNCTION = """
            local function add_member(members, meta, user_rooms, rooms, user, room, now)
              redis.call('HSETNX', meta, 'owner', user)
              redis.call('SADD', rooms, room)
              redis.call('SADD', user_rooms, room)
              return redis.call('HSETNX', members, user, now)
            end
            """;

    /** KEYS members, meta, userRooms, rooms; ARGV user, room, now. */
    private static final LuaScript ADD_MEMBER = new LuaScript(ADD_MEMBER_FUNCTION
            + "return add_member(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3])");

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
    public Uni<Boolean> create(String room, String owner) {
        return CREATE.run(redis, List.of(keys.roomMeta(room), keys.rooms()), List.of(owner, room))
                .map(reply -> reply.toInteger() == 1);
    }

    @Override
    public Uni<Optional<RoomInfo>> find(String room) {
        return redis.batch(findRequests(room)).map(replies -> info(room, replies.get(0), replies.get(1)));
    }

    @Override
    public Uni<Boolean> addMember(String room, String user) {
        return ADD_MEMBER.run(redis, memberKeys(room, user), List.of(user, room,
                String.valueOf(System.currentTimeMillis())))
                .map(reply -> reply.toInteger() == 1);
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
