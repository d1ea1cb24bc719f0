package io.switchboard.engine.redis;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.switchboard.presence.Arrivals;
import io.switchboard.presence.SessionInfo;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * An arrival in one round trip per slot: a script on the user's keys (the connection limit, the session, the
 * rooms, the inbox, all under the user's hash tag) and, at the same time, the instance's index of the session and
 * the online set. Those two are taken back if the script refuses the session, which happens only when another
 * upgrade of the same user raced this one past the upgrade check.
 */
public class RedisArrivals implements Arrivals {

    /**
     * KEYS user sessions, user rooms, inbox; ARGV session id, instance, since, max connections. Returns {0} when the
     * user holds the maximum already, else {1, rooms, waiting messages}.
     */
    private static final LuaScript ARRIVE = new LuaScript(RedisInbox.WAITING_FUNCTION + """
            if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return {0} end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
            return {1, redis.call('SMEMBERS', KEYS[2]), waiting(KEYS[3])}""");

    private final Redis redis;
    private final RedisKeys keys;
    private final RedisInbox inbox;
    private final RedisPresenceStore presence;

    public RedisArrivals(Redis redis, RedisKeys keys, RedisInbox inbox, RedisPresenceStore presence) {
        this.redis = redis;
        this.keys = keys;
        this.inbox = inbox;
        this.presence = presence;
    }

    @Override
    public Uni<Arrival> arrive(SessionInfo session, String globalRoom, int maxConnections) {
        String user = session.user();
        Uni<Arrival> own = ARRIVE.run(redis, List.of(keys.userSessions(user), keys.userRooms(user), keys.inbox(user)),
                List.of(session.id(), session.instance(), String.valueOf(session.since()), String.valueOf(maxConnections)))
                .map(reply -> {
                    if (reply.get(0).toInteger() == 0) {
                        return Arrival.refused();
                    }
                    List<String> rooms = new ArrayList<>(Replies.strings(reply.get(1)));
                    rooms.remove(globalRoom);
                    rooms.add(globalRoom);
                    return new Arrival(true, rooms.stream().sorted().toList(), inbox.messages(reply.get(2)));
                });
        return Uni.combine().all().unis(own, presence.indexed(session).replaceWith(Boolean.TRUE)).asTuple()
                .chain(both -> both.getItem1().admitted() ? Uni.createFrom().item(both.getItem1())
                        : redis.send(Request.cmd(Command.HDEL).arg(keys.instanceSessions(session.instance())).arg(session.id()))
                                .replaceWith(both.getItem1()));
    }
}
