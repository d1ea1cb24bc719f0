package io.switchboard.engine.redis;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.protocol.DirectMessage;
import io.switchboard.direct.Inbox;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;

/**
 * A Redis list per user, expiring, beside a hash of how many of its entries each sender left (in the user's
 * slot, so one script checks both); entries leave it by id once a device took them. A sender's message is refused
 * when the list or the sender's share of it is full; nothing is trimmed. An entry is
 * {@code <id> <from> <to> <ts> <body>}: ids hold no space, and the body is stored as it came, where JSON would
 * have escaped a control character into six bytes.
 */
public class RedisInbox implements Inbox {

    /**
     * KEYS inbox, senders; ARGV message, sender, ttl-ms, max per user (0: no cap, for an acked message), max per
     * sender. Returns 1 once stored, -1 when the sender's share is full, 0 when the inbox is. Counts left by an
     * inbox that expired go with it.
     */
    private static final LuaScript STORE = new LuaScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('DEL', KEYS[2]) end
            if tonumber(ARGV[4]) > 0 then
              if tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or 0) >= tonumber(ARGV[5]) then return -1 end
              if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
            end
            redis.call('RPUSH', KEYS[1], ARGV[1])
            redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            return 1""");

    /**
     * KEYS the sender's offline recipients; ARGV recipient, max recipients, window-ms. Counts the recipient in the
     * sender's slot; returns 0, counting nothing, when it would be one too many.
     */
    private static final LuaScript COUNT_RECIPIENT = new LuaScript("""
            if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
              if redis.call('SCARD', KEYS[1]) > tonumber(ARGV[2]) then
                redis.call('SREM', KEYS[1], ARGV[1])
                return 0
              end
              if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            end
            return 1""");

    /** Every waiting message, oldest first, left in place until {@link #SETTLE} removes it. */
    static final String WAITING_FUNCTION = """
            local function waiting(inbox)
              return redis.call('LRANGE', inbox, 0, -1)
            end
            """;

    /** KEYS inbox. */
    private static final LuaScript WAITING = new LuaScript(WAITING_FUNCTION + "return waiting(KEYS[1])");

    /**
     * KEYS inbox, senders; ARGV the ids taken. Removes those entries, whatever arrived meanwhile, from their
     * senders' counts too. Entries stored as JSON (before 2026-12, never counted) are read too, until
     * {@code inbox.ttl} has let the last of them go.
     */
    private static final LuaScript SETTLE = new LuaScript("""
            local taken = {}
            for _, id in ipairs(ARGV) do taken[id] = true end
            for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
              local id, from = string.match(entry, '^([^ ]*) ([^ ]*)')
              if string.sub(entry, 1, 1) == '{' then
                local decoded = cjson.decode(entry)
                id, from = decoded.id, decoded.from
              end
              if taken[id] then
                redis.call('LREM', KEYS[1], 1, entry)
                if redis.call('HINCRBY', KEYS[2], from, -1) <= 0 then redis.call('HDEL', KEYS[2], from) end
              end
            end
            return 1""");

    private final Redis redis;
    private final RedisKeys keys;
    private final ObjectMapper mapper;
    private final int maxPerUser;
    private final int maxPerSender;
    private final long ttlMillis;

    RedisInbox(Redis redis, RedisKeys keys, ObjectMapper mapper, SwitchboardConfig config) {
        this(redis, keys, mapper, config.inbox().maxPerUser(), config.inbox().maxPerSender(),
                config.inbox().ttl().toMillis());
    }

    public RedisInbox(Redis redis, RedisKeys keys, ObjectMapper mapper, int maxPerUser, int maxPerSender,
            long ttlMillis) {
        this.redis = redis;
        this.keys = keys;
        this.mapper = mapper;
        this.maxPerUser = maxPerUser;
        this.maxPerSender = maxPerSender;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public Uni<Void> store(DirectMessage message) {
        return store(message, 0).replaceWithVoid();
    }

    /** The sender's count first (the sender's slot), then the capped store (the recipient's). */
    @Override
    public Uni<Verdict> storeWithinQuota(DirectMessage message, int maxRecipients, Duration window) {
        return COUNT_RECIPIENT.run(redis, List.of(keys.offlineRecipients(message.from())),
                List.of(message.to(), String.valueOf(maxRecipients), String.valueOf(window.toMillis())))
                .chain(reply -> reply.toInteger() == 1
                        ? store(message, maxPerUser).map(RedisInbox::verdict)
                        : Uni.createFrom().item(Verdict.TOO_MANY_RECIPIENTS));
    }

    /** Stores within {@code cap} messages in all and the sender's share; 0: no cap. */
    private Uni<Response> store(DirectMessage message, int cap) {
        return STORE.run(redis, List.of(keys.inbox(message.to()), keys.inboxSenders(message.to())),
                List.of(entry(message), message.from(), String.valueOf(ttlMillis), String.valueOf(cap),
                        String.valueOf(maxPerSender)));
    }

    private static Verdict verdict(Response stored) {
        return switch (stored.toInteger()) {
            case 1 -> Verdict.STORED;
            case 0 -> Verdict.INBOX_FULL;
            default -> Verdict.SENDER_SHARE_FULL;
        };
    }

    @Override
    public Uni<List<DirectMessage>> waiting(String user) {
        return WAITING.run(redis, List.of(keys.inbox(user)), List.of()).map(this::messages);
    }

    @Override
    public Uni<Void> settle(String user, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return SETTLE.run(redis, List.of(keys.inbox(user), keys.inboxSenders(user)), List.copyOf(ids))
                .replaceWithVoid();
    }

    /** The messages of a {@link #WAITING_FUNCTION} reply. */
    List<DirectMessage> messages(Response waiting) {
        return Replies.strings(waiting).stream().map(this::read).toList();
    }

    private static String entry(DirectMessage message) {
        return message.id() + ' ' + message.from() + ' ' + message.to() + ' ' + message.ts() + ' ' + message.body();
    }

    private DirectMessage read(String entry) {
        if (entry.startsWith("{")) {
            return readJson(entry);
        }
        int afterId = entry.indexOf(' ');
        int afterFrom = entry.indexOf(' ', afterId + 1);
        int afterTo = entry.indexOf(' ', afterFrom + 1);
        int afterTs = entry.indexOf(' ', afterTo + 1);
        return new DirectMessage(entry.substring(0, afterId), entry.substring(afterId + 1, afterFrom),
                entry.substring(afterFrom + 1, afterTo), entry.substring(afterTs + 1),
                Long.parseLong(entry.substring(afterTo + 1, afterTs)));
    }

    /** An entry stored before bodies were kept as they came. */
    private DirectMessage readJson(String json) {
        try {
            return mapper.readValue(json, DirectMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable inbox entry", e);
        }
    }
}
