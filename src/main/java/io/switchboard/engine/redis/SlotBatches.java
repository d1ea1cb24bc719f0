package io.switchboard.engine.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Many single-key look-ups at once (one per user, one per room) in as few batches as Redis allows: a single
 * pipelined batch on a standalone Redis, one batch per master on a cluster (the client refuses a batch whose keys
 * live on different masters). Sent one by one instead, each look-up takes a connection from the pool: a burst of
 * joins into rooms of a hundred members each had the pool's waiting queue overflow and the joins refused. The
 * slot map is the topology's, read again after a batch failed, which it does when a slot moved.
 */
@ApplicationScoped
class SlotBatches {

    private final Redis redis;
    private final RedisTopology topology;

    SlotBatches(Redis redis, RedisTopology topology) {
        this.redis = redis;
        this.topology = topology;
    }

    /** Sends each request, placed by its key ({@code keys.get(i)} for {@code requests.get(i)}); replies in order. */
    Uni<List<Response>> send(List<Request> requests, List<String> keys) {
        if (requests.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        if (!topology.isCluster()) {
            return redis.batch(requests);
        }
        return byMaster(requests, keys).onFailure().invoke(topology::forget).onFailure().retry().atMost(1);
    }

    private Uni<List<Response>> byMaster(List<Request> requests, List<String> keys) {
        return topology.current().chain(current -> {
            Map<String, List<Integer>> byOwner = new LinkedHashMap<>();
            for (int i = 0; i < requests.size(); i++) {
                byOwner.computeIfAbsent(String.valueOf(current.ownerOf(keys.get(i))), owner -> new ArrayList<>()).add(i);
            }
            return inGroups(requests, List.copyOf(byOwner.values()));
        });
    }

    private Uni<List<Response>> inGroups(List<Request> requests, List<List<Integer>> groups) {
        List<Uni<List<Response>>> batches = groups.stream()
                .map(group -> redis.batch(group.stream().map(requests::get).toList()))
                .toList();
        return Uni.join().all(batches).andFailFast().map(replies -> {
            Response[] ordered = new Response[requests.size()];
            for (int g = 0; g < groups.size(); g++) {
                List<Integer> group = groups.get(g);
                for (int i = 0; i < group.size(); i++) {
                    ordered[group.get(i)] = replies.get(g).get(i);
                }
            }
            return Arrays.asList(ordered);
        });
    }
}
