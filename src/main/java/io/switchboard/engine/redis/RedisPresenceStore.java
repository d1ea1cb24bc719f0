package io.switchboard.engine.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.smallrye.mutiny.Uni;
import io.switchboard.presence.PresenceStore;
import io.switchboard.presence.SessionInfo;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Sessions in Redis: per user (where the devices are; the authority), per instance (so a survivor can purge the
 * sessions of an instance that died; see {@link ClusterLiveness}), and the set of online users, for listings.
 * The three live in three slots of a Redis Cluster, so each change is a step per slot: the user's first, the
 * others after it, each idempotent.
 */
public class RedisPresenceStore implements PresenceStore {

    /** KEYS user sessions; ARGV id. Returns how many sessions the user has left. */
    private static final LuaScript REMOVE_USER_SESSION = new LuaScript("""
            redis.call('HDEL', KEYS[1], ARGV[1])
            return redis.call('HLEN', KEYS[1])""");

    private final Redis redis;
    private final RedisKeys keys;
    private final SlotBatches batches;

    RedisPresenceStore(Redis redis, RedisKeys keys, SlotBatches batches) {
        this.redis = redis;
        this.keys = keys;
        this.batches = batches;
    }

    @Override
    public Uni<Void> add(SessionInfo session) {
        return redis.send(Request.cmd(Command.HSET).arg(keys.userSessions(session.user())).arg(session.id())
                .arg(session.instance() + " " + session.since()))
                .chain(() -> indexed(session));
    }

    /** The instance's index of the session and the online set, once the user's own record holds it. */
    Uni<Void> indexed(SessionInfo session) {
        return Uni.join().all(
                redis.send(Request.cmd(Command.HSET).arg(keys.instanceSessions(session.instance())).arg(session.id())
                        .arg(session.user())),
                redis.send(Request.cmd(Command.SADD).arg(keys.online()).arg(session.user())))
                .andFailFast().replaceWithVoid();
    }

    @Override
    public Uni<Void> remove(SessionInfo session) {
        return Uni.join().all(
                removeFromUser(session.user(), session.id()),
                redis.send(Request.cmd(Command.HDEL).arg(keys.instanceSessions(session.instance())).arg(session.id()))
                        .replaceWithVoid())
                .andFailFast().replaceWithVoid();
    }

    /**
     * Removes the session from its user; a user with none left leaves the online set. A device arriving in
     * between may have joined the set just before it was left: the user is looked at again, and put back then.
     */
    Uni<Void> removeFromUser(String user, String sessionId) {
        return REMOVE_USER_SESSION.run(redis, List.of(keys.userSessions(user)), List.of(sessionId))
                .chain(left -> left.toInteger() > 0 ? Uni.createFrom().voidItem()
                        : redis.send(Request.cmd(Command.SREM).arg(keys.online()).arg(user))
                                .chain(() -> redis.send(Request.cmd(Command.EXISTS).arg(keys.userSessions(user))))
                                .chain(back -> back.toInteger() == 0 ? Uni.createFrom().voidItem()
                                        : redis.send(Request.cmd(Command.SADD).arg(keys.online()).arg(user))
                                                .replaceWithVoid()));
    }

    @Override
    public Uni<List<SessionInfo>> sessions(String user) {
        return redis.send(sessionsRequest(user)).map(reply -> sessions(user, reply));
    }

    /** One look-up per user, batched by slot: on a Redis Cluster the users live in different slots. */
    @Override
    public Uni<Map<String, List<SessionInfo>>> sessionsOf(Collection<String> users) {
        List<String> ordered = List.copyOf(users);
        List<String> userKeys = ordered.stream().map(keys::userSessions).toList();
        return batches.send(ordered.stream().map(this::sessionsRequest).toList(), userKeys).map(found -> {
            Map<String, List<SessionInfo>> sessions = new HashMap<>();
            for (int i = 0; i < ordered.size(); i++) {
                sessions.put(ordered.get(i), sessions(ordered.get(i), found.get(i)));
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
            String[] instanceAndSince = e.getValue().split(" ", 2);
            sessions.add(new SessionInfo(e.getKey(), user, instanceAndSince[0], Long.parseLong(instanceAndSince[1])));
        }
        sessions.sort(Comparator.comparingLong(SessionInfo::since).thenComparing(SessionInfo::id));
        return sessions;
    }

    /** Asked of each user's own sessions, the authority, not of the online set. */
    @Override
    public Uni<Set<String>> online(Collection<String> users) {
        List<String> ordered = List.copyOf(users);
        List<String> userKeys = ordered.stream().map(keys::userSessions).toList();
        List<Request> checks = userKeys.stream().map(key -> Request.cmd(Command.EXISTS).arg(key)).toList();
        return batches.send(checks, userKeys).map(replies -> {
            Set<String> online = new HashSet<>();
            for (int i = 0; i < ordered.size(); i++) {
                if (replies.get(i).toInteger() > 0) {
                    online.add(ordered.get(i));
                }
            }
            return online;
        });
    }

    @Override
    public Uni<Void> bar(String user, Duration span) {
        return redis.send(span.isZero() ? Request.cmd(Command.DEL).arg(keys.barred(user))
                : Request.cmd(Command.SET).arg(keys.barred(user)).arg("1").arg("PX").arg(span.toMillis()))
                .replaceWithVoid();
    }

    @Override
    public Uni<Boolean> isBarred(String user) {
        return redis.send(Request.cmd(Command.EXISTS).arg(keys.barred(user))).map(reply -> reply.toInteger() > 0);
    }

    @Override
    public Uni<OnlineUsers> onlineUsers(int atMost) {
        return redis.batch(List.of(Request.cmd(Command.SCARD).arg(keys.online()),
                Request.cmd(Command.SRANDMEMBER).arg(keys.online()).arg(atMost)))
                .map(replies -> new OnlineUsers(replies.get(0).toInteger(),
                        Replies.strings(replies.get(1)).stream().sorted().toList()));
    }
}
