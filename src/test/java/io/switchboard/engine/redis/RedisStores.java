package io.switchboard.engine.redis;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.engine.ArrivalsContract;
import io.vertx.mutiny.redis.client.Redis;

/** The Redis stores of the contract suites, on one client (standalone or cluster) and key prefix. */
record RedisStores(Redis redis, RedisKeys keys) {

    RedisRoomRegistry registry() {
        return new RedisRoomRegistry(redis, keys);
    }

    RedisPresenceStore presence() {
        return new RedisPresenceStore(redis, keys);
    }

    RedisInbox inbox(int capacity) {
        return new RedisInbox(redis, keys, new ObjectMapper(), capacity, 86_400_000L);
    }

    ArrivalsContract.Stores arrivals() {
        RedisInbox inbox = inbox(10);
        RedisPresenceStore presence = presence();
        return new ArrivalsContract.Stores(new RedisArrivals(redis, keys, inbox, presence), registry(), presence, inbox);
    }
}
