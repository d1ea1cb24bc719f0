package io.switchboard.engine.redis;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.switchboard.config.SwitchboardConfig;

/**
 * The Redis key layout (docs/design.md), every key under {@code switchboard.redis.key-prefix}. Keys carry hash tags
 * so that Redis Cluster keeps what one step touches in one slot: a room's keys and channel share
 * {@code {<room>}}, a user's keys {@code {<user>}}, an instance's keys {@code {<instance id>}}; the three sets of all
 * instances, rooms and online users have a slot each. Ids cannot contain braces, so tags never nest.
 */
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
    String instance(String instanceId) {
        return prefix + "server:{" + instanceId + "}";
    }

    /** Set of every instance that registered, for the survivors' purge. */
    String instances() {
        return prefix + "servers";
    }

    /** Hash sessionId → user of one instance, so a survivor can purge a dead instance's sessions. */
    String instanceSessions(String instanceId) {
        return prefix + "server:{" + instanceId + "}:sessions";
    }

    /** Hash sessionId → {@code <instanceId> <since>}: where the user's devices are. */
    String userSessions(String user) {
        return userKey(user, "sessions");
    }

    /** Set of the rooms the user is a member of. */
    String userRooms(String user) {
        return userKey(user, "rooms");
    }

    /** Present, with a TTL, while an administrator bars the user from connecting. */
    String barred(String user) {
        return userKey(user, "barred");
    }

    /** List of direct messages waiting for the user. */
    String inbox(String user) {
        return userKey(user, "inbox");
    }

    /** Hash sender → how many of the user's waiting direct messages that sender left; expires with the inbox. */
    String inboxSenders(String user) {
        return userKey(user, "inbox-senders");
    }

    /** Counter of the rooms the user created in the current quota window (expires with it). */
    String roomsCreated(String user) {
        return userKey(user, "rooms-created");
    }

    /** Set of the offline users the user left direct messages for in the current quota window. */
    String offlineRecipients(String sender) {
        return userKey(sender, "offline-recipients");
    }

    /** Counter of the bytes the user made the server store in the current quota window (expires with it). */
    String storedBytes(String user) {
        return userKey(user, "stored-bytes");
    }

    /** Hash userId → joined-at. */
    String roomMembers(String room) {
        return roomKey(room) + ":members";
    }

    /** Hash: {@code owner}, {@code invited:<user>} per invitation and {@code invitations}, their count. */
    String roomMeta(String room) {
        return roomKey(room) + ":meta";
    }

    /** Stream of the room's messages; stream ids are message ids. */
    String roomLog(String room) {
        return roomKey(room) + ":log";
    }

    /** Sharded Pub/Sub channel of the room's fan-out, in the slot of the room's keys. */
    String roomChannel(String room) {
        return roomKey(room);
    }

    /** The room id of a channel name, or null when it is not a room channel of this prefix. */
    String roomOfChannel(String channel) {
        String head = prefix + "room:{";
        return channel.startsWith(head) && channel.endsWith("}")
                ? channel.substring(head.length(), channel.length() - 1)
                : null;
    }

    /** Set of every room id. */
    String rooms() {
        return prefix + "rooms";
    }

    /**
     * Present while the room registry is whole: written when the first instance starts on an empty Redis, and found
     * missing after Redis lost its data (then no private room is created until the instances put theirs back).
     * Both marks share one slot.
     */
    String registryWhole() {
        return prefix + "{registry}:whole";
    }

    /** Lives for a while after Redis lost its data, while the instances put back the rooms they know. */
    String registryRestoring() {
        return prefix + "{registry}:restoring";
    }

    /** Set of the users with at least one session: who is online, without keeping everyone ever seen. */
    String online() {
        return prefix + "online";
    }

    /** Every key of one user shares the user's hash tag: one Redis Cluster slot, so one script can hold them. */
    private String userKey(String user, String what) {
        return prefix + "user:{" + user + "}:" + what;
    }

    /** Every key of one room and its channel share the room's hash tag. */
    private String roomKey(String room) {
        return prefix + "room:{" + room + "}";
    }
}
