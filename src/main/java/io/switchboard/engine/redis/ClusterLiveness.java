package io.switchboard.engine.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Typed;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.InstanceId;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.health.ClusterStateLost;
import io.switchboard.concurrency.FewAtATime;
import io.switchboard.health.SharedStateHealth;
import io.switchboard.metrics.ChatMetrics;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;

/**
 * Which instances are alive. Each instance refreshes a heartbeat key with a TTL; every beat it also looks for
 * registered instances whose heartbeat expired and purges their sessions, so a crashed instance's users show
 * offline (and stop being routed to) within a heartbeat TTL plus an interval.
 */
@ApplicationScoped
@Typed(ClusterLiveness.class)
public class ClusterLiveness implements SharedStateHealth {

    private static final Logger LOG = Logger.getLogger(ClusterLiveness.class);

    private final Redis redis;
    private final RedisKeys keys;
    private final RedisPresenceStore presence;
    private final Vertx vertx;
    private final ChatMetrics metrics;
    private final Event<ClusterStateLost> stateLost;
    private final String instanceId;
    private final long intervalMillis;
    private final long ttlMillis;
    /** A beat slower than this has failed: a Redis that does not answer is as down as one that refuses. */
    private final Duration beatBudget;
    /**
     * How long private rooms are not created after Redis lost its data: every instance notices within a beat, and
     * puts back what it knows in a few backend round trips.
     */
    private final long restoringMillis;
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final HeartbeatReadiness readiness;
    /** Set by the first beat: from then on, finding this instance missing from the instance set means state was lost. */
    private volatile boolean registered;
    private long timer = -1;

    ClusterLiveness(Redis redis, RedisKeys keys, RedisEngine stores, Vertx vertx, InstanceId instanceId,
            SwitchboardConfig config, ChatMetrics metrics, Event<ClusterStateLost> stateLost) {
        this.presence = stores.presence();
        this.metrics = metrics;
        this.stateLost = stateLost;
        this.redis = redis;
        this.keys = keys;
        this.vertx = vertx;
        this.instanceId = instanceId.id();
        this.intervalMillis = config.cluster().heartbeatInterval().toMillis();
        this.ttlMillis = config.cluster().heartbeatTtl().toMillis();
        this.beatBudget = config.cluster().heartbeatInterval().multipliedBy(2);
        this.readiness = new HeartbeatReadiness(config.cluster().unreadyAfterFailedBeats());
        this.restoringMillis = 3 * intervalMillis + config.timeouts().backend().toMillis();
    }

    /**
     * KEYS registry whole, registry restoring; ARGV restoring-ms. Marks the registry as being restored for a while
     * when it was not known whole any more (Redis lost its data), then whole again; 1 when it did.
     */
    private static final LuaScript MARK_RESTORING = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
            redis.call('SET', KEYS[1], '1')
            return 1""");

    /**
     * Clears what an earlier run under the same id left behind, then beats every interval. The first instance on an
     * empty Redis finds no registry to restore: it marks it whole.
     */
    public Uni<Void> start() {
        return purge(instanceId).onFailure().recoverWithItem(0L)
                .chain(() -> redis.send(Request.cmd(Command.SET).arg(keys.registryWhole()).arg("1").arg("NX")))
                .chain(this::beat)
                .invoke(() -> timer = vertx.setPeriodic(intervalMillis, id -> beat().subscribe().with(
                        ok -> LOG.tracef("heartbeat of %s", instanceId),
                        failure -> LOG.debugf("heartbeat failed: %s", failure.getMessage()))));
    }

    /** Leaves the cluster: no heartbeat, no sessions. */
    public Uni<Void> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return redis.send(Request.cmd(Command.DEL).arg(keys.instance(instanceId)))
                .chain(() -> purge(instanceId))
                .replaceWithVoid();
    }

    /** True when the instance has a heartbeat: from the last beat's view, or asked of Redis for a newcomer. */
    public Uni<Boolean> isLive(String instance) {
        if (live.contains(instance)) {
            return Uni.createFrom().item(true);
        }
        return redis.send(Request.cmd(Command.EXISTS).arg(keys.instance(instance)))
                .map(reply -> reply.toInteger() > 0)
                .invoke(alive -> {
                    if (alive) {
                        live.add(instance);
                    }
                });
    }

    /**
     * Another instance is known to be gone (its queue lost its consumer): its heartbeat and sessions are removed
     * now rather than when the heartbeat expires, so nobody routes to it and its users show offline. Should it be
     * alive after all, its next beat finds itself forgotten and registers its sessions again.
     */
    public Uni<Long> declareGone(String instance) {
        live.remove(instance);
        return redis.send(Request.cmd(Command.DEL).arg(keys.instance(instance))).chain(() -> purge(instance));
    }

    /**
     * Whether the instance has missed beats: no heartbeat for more than two intervals (as Redis counts, from the
     * key's remaining time to live, so clocks do not matter), or none at all. A paused or busy instance beats
     * again within that; a crashed one does not.
     */
    public Uni<Boolean> isOverdue(String instance) {
        return redis.send(Request.cmd(Command.PTTL).arg(keys.instance(instance)))
                .map(reply -> reply.toLong() < 0 || ttlMillis - reply.toLong() > 2 * intervalMillis);
    }

    /** The instances whose heartbeat the last beat saw, this one included. */
    public Set<String> liveInstances() {
        return Set.copyOf(live);
    }

    @Override
    public String name() {
        return "redis";
    }

    /** Whether the heartbeats reach Redis: not after {@code cluster.unready-after-failed-beats} failed in a row. */
    @Override
    public boolean reachable() {
        return readiness.reachable();
    }

    /** The heartbeat (this instance's slot) and the registration (the set of all instances' slot), at once. */
    Uni<Void> beat() {
        Uni<Response> heartbeat = redis.send(
                Request.cmd(Command.SET).arg(keys.instance(instanceId)).arg("1").arg("PX").arg(ttlMillis));
        Uni<List<Response>> registration = redis.batch(List.of(
                Request.cmd(Command.SADD).arg(keys.instances()).arg(instanceId),
                Request.cmd(Command.SMEMBERS).arg(keys.instances())));
        return Uni.combine().all().unis(heartbeat, registration).asTuple().map(both -> both.getItem2())
                .call(replies -> replies.get(0).toInteger() == 1 && registered
                        ? reRegister() : Uni.createFrom().voidItem())
                .chain(replies -> refresh(Replies.strings(replies.get(1))))
                .ifNoItem().after(beatBudget).fail()
                .invoke(() -> {
                    readiness.succeeded();
                    registered = true;
                })
                .onFailure().invoke(failure -> {
                    readiness.failed();
                    metrics.backendFailure("redis");
                    LOG.warnf("heartbeat failed: %s", failure.getMessage());
                });
    }

    /**
     * Redis forgot this instance: its sessions and their rooms are registered again by whoever holds them. If Redis
     * lost its data, private rooms are not created for a while, so that the instances put theirs back first.
     */
    private Uni<Void> reRegister() {
        LOG.warnf("Redis no longer knew instance %s (restarted empty, or this instance was purged): registering its sessions again",
                instanceId);
        metrics.backendFailure("redis");
        return MARK_RESTORING.run(redis, List.of(keys.registryWhole(), keys.registryRestoring()),
                List.of(String.valueOf(restoringMillis)))
                .invoke(marked -> {
                    if (marked.toInteger() == 1) {
                        LOG.warnf("Redis lost the room registry: no private room is created for %d ms while the"
                                + " instances put back the rooms they know", restoringMillis);
                    }
                })
                .chain(() -> Uni.createFrom().completionStage(() -> stateLost.fireAsync(new ClusterStateLost())))
                .replaceWithVoid();
    }

    /**
     * Learns which registered instances still beat, and purges the others. Each instance's heartbeat is in a slot
     * of its own: one look-up each, all under way at once.
     */
    private Uni<Void> refresh(List<String> instances) {
        if (instances.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Response>> checks = instances.stream()
                .map(s -> redis.send(Request.cmd(Command.EXISTS).arg(keys.instance(s)))).toList();
        return Uni.join().all(checks).andFailFast().chain(replies -> {
            List<Uni<Long>> purges = new ArrayList<>();
            Set<String> alive = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < instances.size(); i++) {
                if (replies.get(i).toInteger() > 0) {
                    alive.add(instances.get(i));
                } else {
                    purges.add(purge(instances.get(i)));
                }
            }
            live.retainAll(alive);
            live.addAll(alive);
            return purges.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.join().all(purges).andCollectFailures().replaceWithVoid();
        });
    }

    /**
     * Removes a gone instance's sessions from their users, then its own index and registration. Each user is a
     * step in the user's slot; the index goes last, so a purge cut short is finished by the next one.
     */
    private Uni<Long> purge(String instance) {
        return redis.send(Request.cmd(Command.HGETALL).arg(keys.instanceSessions(instance)))
                .map(Replies::hash)
                .chain(sessions -> FewAtATime.each(sessions.entrySet(), s -> presence.removeFromUser(s.getValue(), s.getKey()))
                        .chain(failed -> failed == 0 ? Uni.createFrom().voidItem()
                                // the instance's index stays, so the next purge finishes what is left
                                : Uni.createFrom().failure(new IllegalStateException(
                                        failed + " sessions of " + instance + " not purged yet")))
                        .chain(() -> redis.send(Request.cmd(Command.DEL).arg(keys.instanceSessions(instance))))
                        .chain(() -> redis.send(Request.cmd(Command.SREM).arg(keys.instances()).arg(instance)))
                        .replaceWith((long) sessions.size()))
                .invoke(count -> {
                    if (count > 0 && !instance.equals(instanceId)) {
                        LOG.infof("instance %s is gone: purged its %d sessions", instance, count);
                    }
                });
    }
}
