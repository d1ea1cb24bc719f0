package io.switchboard.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Every Switchboard setting, under {@code switchboard.*}; README lists them with their env names. */
@ConfigMapping(prefix = "switchboard")
public interface SwitchboardConfig {

    /** Which engine holds shared state and carries messages: memory (one process) or distributed (Redis + RabbitMQ). */
    @WithDefault("memory")
    Engine engine();

    /** This instance's id, unique in a cluster ({@code SERVER_ID}); the host name when unset. */
    @WithName("server-id")
    Optional<String> serverId();

    Auth auth();

    Limits limits();

    History history();

    Inbox inbox();

    Redis redis();

    Cluster cluster();

    Rabbitmq rabbitmq();

    enum Engine {
        MEMORY,
        DISTRIBUTED
    }

    enum AuthMode {
        /** {@code user_id} and {@code groups} query parameters, trusted as given. */
        DEV
    }

    interface Auth {
        /** How a client says who it is ({@code SWITCHBOARD_AUTH_MODE}). */
        @WithDefault("dev")
        AuthMode mode();
    }

    interface Limits {
        /** Largest {@code body} accepted, in UTF-8 bytes; larger ones are answered {@code too_large}. */
        @WithDefault("4096")
        int maxBodyBytes();

        /** Largest WebSocket message accepted, in bytes; a larger one closes the connection with 1009. */
        @WithDefault("65536")
        int maxFrameBytes();
    }

    interface History {
        /** Messages kept per room for {@code history} and {@code join}+{@code since}; older ones are trimmed. */
        @WithDefault("1000")
        int maxPerRoom();

        /** How long a room's history is kept after its last message. */
        @WithDefault("P7D")
        Duration retention();
    }

    interface Inbox {
        /** Direct messages kept per offline user; the oldest are dropped beyond this. */
        @WithDefault("500")
        int maxPerUser();

        /** How long an undelivered direct message waits for its recipient. */
        @WithDefault("P7D")
        Duration ttl();
    }

    interface Redis {
        /** Prefix of every Redis key and channel, so several deployments (or tests) can share one Redis. */
        @WithDefault("sb:")
        String keyPrefix();
    }

    interface Cluster {
        /** How often an instance refreshes its heartbeat and looks for instances that died. */
        @WithDefault("5S")
        Duration heartbeatInterval();

        /** How long a heartbeat lives: an instance silent this long is taken for dead and its sessions purged. */
        @WithDefault("15S")
        Duration heartbeatTtl();
    }

    interface Rabbitmq {
        /** The topic exchange carrying messages to one instance (routing key {@code server.<id>}). */
        @WithDefault("switchboard")
        String exchange();

        /**
         * How long a message may wait in the queue of an instance that does not consume it (crashed, cut off)
         * before it is taken back and retried or kept in the inbox.
         */
        @WithDefault("10S")
        Duration undeliveredAfter();
    }
}
