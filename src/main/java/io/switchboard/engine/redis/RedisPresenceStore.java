package io.switchboard.engine.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import io.smallrye.mutiny.Uni;
import io.switchboard.presence.PresenceStore;
import io.switchboard.presence.SessionInfo;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;

/**
 * Sessions in Redis: per user (where the devices are) and per instance (so a survivor can purge the sessions of
 * an instance that died; see {@link ClusterLiveness}).
 */
@ApplicationScoped
@Typed(RedisPresenceStore.class)
public class RedisPresenceStore implements PresenceStore {

    private final Redis redis;
    private final RedisKeys keys;

    RedisPresenceStore(Redis redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** Indexes a session under its user (with where and since when) and under its instance; the user is online. */
    static final String ADD_SESSION_FUNCTION = """
            local function add_session(user_sessions, server_sessions, online, id, user, server, since)
              redis.call('HSET', user_sessions, id, server .. ' ' .. since)
              redis.call('HSET', server_sessions, id, user)
              redis.call('SADD', online, user)
            end
            """;

    /** Forgets a session; a user with none left is no longer online. */
    static final String REMOVE_SESSION_FUNCTION = """
            local function remove_session(user_sessions, server_sessions, online, id, user)
              redis.call('HDEL', user_sessions, id)
              redis.call('HDEL', server_sessions, id)
              if redis.call('HLEN', user_sessions) == 0 then redis.call('SREM', online, user) end
            end
            """;

    /** KEYS user sessions, server sessions, online; ARGV id, user, server, since. */
    private static final LuaScript ADD_SESSION = new LuaScript(ADD_SESSION_FUNCTION
            + "add_session(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4])");

    /** KEYS user sessions, server sessions, online; ARGV id, user. */
    private static final LuaScript REMOVE_SESSION = new LuaScript(REMOVE_SESSION_FUNCTION
            + "remove_session(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])");

    @Override
    public Uni<Void> add(SessionInfo session) {
        return ADD_SESSION.run(redis, sessionKeys(session),
                List.of(session.id(), session.user(), session.server(), String.valueOf(session.since())))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> remove(SessionInfo session) {
        return REMOVE_SESSION.run(redis, sessionKeys(session), List.of(session.id(), session.user())).replaceWithVoid();
    }

    private List<String> sessionKeys(SessionInfo session) {
        return List.of(keys.userSessions(session.user()), keys.serverSessions(session.server()), keys.online());
    }

    @Override
    public Uni<OnlineUsers> onlineUsers(int atMost) {
        return redis.batch(List.of(Request.cmd(Command.SCARD).arg(keys.online()),
                Request.cmd(Command.SRANDMEMBER).arg(keys.online()).arg(atMost)))
                .map(replies -> new OnlineUsers(replies.get(0).toInteger(),
                        Replies.strings(replies.get(1)).stream().sorted().toList()));
    }

    @Override
    public Uni<List<SessionInfo>> sessions(String user) {
        return redis.send(sessionsRequest(user)).map(reply -> sessions(user, reply));
    }

    @Override
    public Uni<Map<String, List<SessionInfo>>> sessionsOf(Collection<String> users) {
        List<String> ordered = List.copyOf(users);
        // one pipelined round trip whatever the number of users
        return redis.batch(ordered.stream().map(this::sessionsRequest).toList()).map(replies -> {
            Map<String, List<SessionInfo>> sessions = new HashMap<>();
            for (int i = 0; i < ordered.size(); i++) {
                sessions.put(ordered.get(i), sessions(ordered.get(i), replies.get(i)));
            }
            return sessions;
        });
    }

    private Request sessionsRequest(String user) {
        return Request.cmd(Command.HGETALL).arg(keys.userSessions(user));
    }

    private static List<SessionInfo> sessions(String user, Response reply) {
        List<SessionInfo> sessions = new ArrayList<>();
        for (Map.Entry<String, String> e : Replies.hash(reply).entrySet()) {
            String[] serverAndSince = e.getValue().split(" ", 2);
            sessions.add(new SessionInfo(e.getKey(), user, serverAndSince[0], Long.parseLong(serverAndSince[1])));
        }
        sessions.sort(Comparator.comparingLong(SessionInfo::since).thenComparing(SessionInfo::id));
        return sessions;
    }

    @Override
    public Uni<Set<String>> online(Collection<String> users) {
        List<String> ordered = List.copyOf(users);
        List<Request> checks = ordered.stream()
                .map(user -> Request.cmd(Command.EXISTS).arg(keys.userSessions(user)))
                .toList();
        return redis.batch(checks).map(replies -> {
            Set<String> online = new HashSet<>();
            for (int i = 0; i < ordered.size(); i++) {
                if (replies.get(i).toInteger() > 0) {
                    online.add(ordered.get(i));
                }
            }
            return online;
        });
    }
}
