package io.switchboard.engine.redis;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import io.smallrye.mutiny.Uni;
import io.switchboard.presence.Arrivals;
import io.switchboard.presence.SessionInfo;
import io.vertx.mutiny.redis.client.Redis;

/**
 * An arrival as one Lua script built from the same functions the presence store and the inbox run on their own,
 * so the rules live in one place and a connection costs one round trip.
 */
@ApplicationScoped
@Typed(RedisArrivals.class)
public class RedisArrivals implements Arrivals {

    /**
     * KEYS user rooms, user sessions, server sessions, online, inbox; ARGV session id, user, server, since, max
     * connections. Returns {0} when the user holds the maximum already, else {1, rooms, waiting messages}.
     */
    private static final LuaScript ARRIVE = new LuaScript(RedisPresenceStore.ADD_SESSION_FUNCTION
            + RedisInbox.WAITING_FUNCTION + """
            if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[5]) then return {0} end
            add_session(KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
            return {1, redis.call('SMEMBERS', KEYS[1]), waiting(KEYS[5])}""");

    private final Redis redis;
    private final RedisKeys keys;
    private final RedisInbox inbox;

    public RedisArrivals(Redis redis, RedisKeys keys, RedisInbox inbox) {
        this.redis = redis;
        this.keys = keys;
        this.inbox = inbox;
    }

    @Override
    public Uni<Arrival> arrive(SessionInfo session, String globalRoom, int maxConnections) {
        String user = session.user();
        List<String> scriptKeys = List.of(keys.userRooms(user), keys.userSessions(user),
                keys.serverSessions(session.server()), keys.online(), keys.inbox(user));
        List<String> args = List.of(session.id(), user, session.server(), String.valueOf(session.since()),
                String.valueOf(maxConnections));
        return ARRIVE.run(redis, scriptKeys, args).map(reply -> {
            if (reply.get(0).toInteger() == 0) {
                return Arrival.refused();
            }
            List<String> rooms = new ArrayList<>(Replies.strings(reply.get(1)));
            rooms.remove(globalRoom);
            rooms.add(globalRoom);
            return new Arrival(true, rooms.stream().sorted().toList(), inbox.messages(reply.get(2)));
        });
    }
}
