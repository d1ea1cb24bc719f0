package io.switchboard.engine.redis;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.switchboard.config.SwitchboardConfig;

/** The Redis key layout (DESIGN.md), every key under {@code switchboard.redis.key-prefix}. */
@ApplicationScoped
public class RedisKeys {

    private final String prefix;

    @Inject
    RedisKeys(SwitchboardConfig config) {
        this(config.redis().keyPrefix());
    }

    public RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    /** Heartbeat of a live instance, with a TTL. */
    String server(String serverId) {
        return prefix + "server:" + serverId;
    }

    /** Set of every instance that registered, for the survivors' purge. */
    String servers() {
        return prefix + "servers";
    }

    /** Hash sessionId → user of one instance, so a survivor can purge a dead instance's sessions. */
    String serverSessions(String serverId) {
        return prefix + "server:" + serverId + ":sessions";
    }

    /** Hash sessionId → {@code <serverId> <since>}: where the user's devices are. */
    String userSessions(String user) {
        return prefix + "user:" + user + ":sessions";
    }

    /** Set of the rooms the user is a member of. */
    String userRooms(String user) {
        return prefix + "user:" + user + ":rooms";
    }

    /** Hash userId → joined-at. */
    String roomMembers(String room) {
        return prefix + "room:" + room + ":members";
    }

    /** Hash: {@code owner}, and {@code invited:<user>} per invitation. */
    String roomMeta(String room) {
        return prefix + "room:" + room + ":meta";
    }

    /** Stream of the room's messages; stream ids are message ids. */
    String roomLog(String room) {
        return prefix + "room:" + room + ":log";
    }

    /** Pub/Sub channel of the room's fan-out. */
    String roomChannel(String room) {
        return prefix + "room:" + room;
    }

    /** The room id of a channel name, or null when it is not a room channel of this prefix. */
    String roomOfChannel(String channel) {
        String head = prefix + "room:";
        return channel.startsWith(head) ? channel.substring(head.length()) : null;
    }

    /** Set of every room id. */
    String rooms() {
        return prefix + "rooms";
    }

    /** Counter of the rooms the user created in the current quota window (expires with it). */
    String roomsCreated(String user) {
        return prefix + "quota:rooms-created:" + user;
    }

    /** Set of the offline users the sender left direct messages for in the current quota window. */
    String offlineRecipients(String sender) {
        return prefix + "quota:offline-recipients:" + sender;
    }

    /** Set of the users with at least one session: who is online, without keeping everyone ever seen. */
    String online() {
        return prefix + "online";
    }

    /** List of direct messages waiting for the user. */
    String inbox(String user) {
        return prefix + "inbox:" + user;
    }
}
