package io.switchboard.engine.redis;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import io.smallrye.mutiny.Uni;
import io.switchboard.presence.Arrivals;
import io.switchboard.presence.SessionInfo;
import io.vertx.mutiny.redis.client.Redis;

/**
 * An arrival as one Lua script built from the same functions the registry, the presence store and the inbox
 * run on their own, so the rules live in one place and a connection costs one round trip.
 */
@ApplicationScoped
@Typed(RedisArrivals.class)
public class RedisArrivals implements Arrivals {

    /**
     * KEYS global members, global meta, user rooms, rooms, user sessions, server sessions, inbox;
     * ARGV user, global room, now, session id, server, since. Returns {rooms, waiting messages}.
     */
    private static final LuaScript ARRIVE = new LuaScript(RedisRoomRegistry.ADD_MEMBER_FUNCTION
            + RedisPresenceStore.ADD_SESSION_FUNCTION + RedisInbox.WAITING_FUNCTION + """
            add_member(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3])
            add_session(KEYS[5], KEYS[6], ARGV[4], ARGV[1], ARGV[5], ARGV[6])
            return {redis.call('SMEMBERS', KEYS[3]), waiting(KEYS[7])}""");

    private final Redis redis;
    private final RedisKeys keys;
    private final RedisInbox inbox;

    public RedisArrivals(Redis redis, RedisKeys keys, RedisInbox inbox) {
        this.redis = redis;
        this.keys = keys;
        this.inbox = inbox;
    }

    @Override
    public Uni<Arrival> arrive(SessionInfo session, String globalRoom) {
        String user = session.user();
        List<String> scriptKeys = List.of(keys.roomMembers(globalRoom), keys.roomMeta(globalRoom), keys.userRooms(user),
                keys.rooms(), keys.userSessions(user), keys.serverSessions(session.server()), keys.inbox(user));
        List<String> args = List.of(user, globalRoom, String.valueOf(System.currentTimeMillis()), session.id(),
                session.server(), String.valueOf(session.since()));
        return ARRIVE.run(redis, scriptKeys, args).map(reply -> new Arrival(
                Replies.strings(reply.get(0)).stream().sorted().toList(), inbox.messages(reply.get(1))));
    }
}
