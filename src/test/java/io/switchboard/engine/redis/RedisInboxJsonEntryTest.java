package io.switchboard.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.protocol.DirectMessage;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.TestBackends;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/** An inbox entry stored as JSON, before bodies were kept as they came, is still read and settled. */
class RedisInboxJsonEntryTest {

    static final String PREFIX = TestBackends.uniqueName("inbox-json") + ":";
    static final Redis REDIS = Redis.createClient(new Vertx(ChatTest.sharedVertx()), TestBackends.REDIS_URL);

    @AfterAll
    static void removeKeys() {
        TestBackends.deleteRedisKeys(PREFIX);
        REDIS.close();
    }

    @Test
    void aJsonEntryIsReadAndSettledNextToNewOnes() throws Exception {
        RedisKeys keys = new RedisKeys(PREFIX);
        RedisInbox inbox = new RedisInbox(REDIS, keys, new ObjectMapper(), 10, 10, 86_400_000L);
        DirectMessage old = new DirectMessage("1", "alice", "bob", "before \u0001 \"then\"",
                System.currentTimeMillis());
        REDIS.send(Request.cmd(Command.RPUSH).arg(keys.inbox("bob")).arg(new ObjectMapper().writeValueAsString(old)))
                .await().indefinitely();
        DirectMessage fresh = new DirectMessage("2", "alice", "bob", "now", System.currentTimeMillis());
        inbox.store(fresh).await().indefinitely();

        assertThat(inbox.waiting("bob").await().indefinitely()).containsExactly(old, fresh);
        inbox.settle("bob", List.of("1")).await().indefinitely();
        assertThat(inbox.waiting("bob").await().indefinitely()).containsExactly(fresh);
    }
}
