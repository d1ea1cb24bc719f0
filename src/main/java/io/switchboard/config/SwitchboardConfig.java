package io.switchboard.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
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
    @WithName("instance-id")
    Optional<String> instanceId();

    Auth auth();

    Limits limits();

    History history();

    Inbox inbox();

    Direct direct();

    Redis redis();

    Cluster cluster();

    Rabbitmq rabbitmq();

    Timeouts timeouts();

    Liveness liveness();

    enum Engine {
        MEMORY,
        DISTRIBUTED
    }

    enum AuthMode {
        /** {@code user_id} and {@code groups} query parameters, trusted as given. */
        DEV,
        /** A signed JWT in {@code Authorization: Bearer} or the {@code access_token} query parameter. */
        TOKEN
    }

    interface Auth {
        /** How a client says who it is ({@code SWITCHBOARD_AUTH_MODE}): dev, or token (the prod profile's default). */
        @WithDefault("dev")
        AuthMode mode();

        /**
         * Browser origins allowed to open a WebSocket ({@code Origin} header); unset allows every origin. Clients
         * that send no Origin (apps, servers) are not affected.
         */
        Optional<List<String>> allowedOrigins();
    }

    interface Limits {
        /** Largest {@code body} accepted, in UTF-8 bytes; larger ones are answered {@code too_large}. */
        @WithDefault("4096")
        int maxBodyBytes();

        /** Largest WebSocket message accepted, in bytes; a larger one closes the connection with 1009. */
        @WithDefault("65536")
        int maxFrameBytes();

        /**
         * A single WebSocket frame this large is cut off at once, without reading it (close 1009); frames between
         * {@link #maxFrameBytes()} and this are read and refused with 1009 too. Keep it above {@code max-frame-bytes}.
         */
        @WithDefault("262144")
        int frameCutOffBytes();

        /** Frames a connection may send per second on average (token bucket refill rate); more: {@code rate_limited}. */
        @WithDefault("300")
        int messagesPerSecond();

        /** Frames a connection may send at once before the rate applies (token bucket size). */
        @WithDefault("300")
        int burst();

        /** Refused frames within {@link #floodWindow()} after which a flooding connection is closed with 1008. */
        @WithDefault("500")
        int floodRefusals();

        /** The window in which {@link #floodRefusals()} are counted. */
        @WithDefault("5S")
        Duration floodWindow();

        /**
         * WebSocket frames of any kind (data, continuation, ping, pong) a connection may send per second, counted
         * before they cost anything: past the bucket the server stops reading the socket until it refills (TCP
         * back-pressure), pings are left unanswered, and a client that outruns it by a further bucket is closed
         * with 1008. Twice the message rate, so only a client past {@code messages-per-second} ever feels it.
         */
        @WithDefault("600")
        int framesPerSecond();

        /** Frames of any kind a connection may send at once before {@link #framesPerSecond()} applies. */
        @WithDefault("600")
        int frameBurst();

        /** Frames one fragmented message may arrive in; more closes the connection with 1008. */
        @WithDefault("64")
        int maxFragments();

        /** How long a fragmented message may take from its first frame to its last; longer closes it with 1008. */
        @WithDefault("10S")
        Duration fragmentedMessageTimeout();

        /**
         * Messages read from a connection whose work has not ended (waiting for Redis, say, even once answered
         * {@code timeout}); at this many the server stops reading the socket until one's work ends, so what a
         * client sends waits in its TCP buffers, not in the server's heap.
         */
        @WithDefault("32")
        int messagesInFlight();

        /** Bytes of messages read and not yet answered; at this many the server stops reading, as above. */
        @WithDefault("262144")
        int bytesInFlight();

        /** Bytes queued for a connection that does not read; beyond them it is closed with 1008 (slow consumer). */
        @WithDefault("1048576")
        int outboundQueueBytes();

        /**
         * How long a slow consumer's connection is kept after its 1008, so a client that reads again can see why;
         * then the TCP connection is cut (PROTOCOL §5: at least 10 s, at most 30 s).
         */
        @WithDefault("10S")
        Duration slowConsumerLinger();

        /**
         * The most a reply listing stored messages ({@code joined.missed}, {@code history}) may weigh, encoded; the
         * newest that fit are sent, with {@code complete:false}, and the client pages back with {@code before}.
         */
        @WithDefault("1048576")
        int maxReplyBytes();

        /**
         * A reply listing stored messages takes one more token from its connection's bucket per this many bytes
         * of them, so catch-up and history are paid for by what they cost; the bucket may go below empty, and its
         * next frames are {@code rate_limited} until it has refilled.
         */
        @WithDefault("4096")
        int replyBytesPerToken();

        /**
         * The largest HTTP request body ({@code quarkus.http.limits.max-body-size} follows it), refused with 413 by
         * its declared size before it is read, before the caller is even known; a chunked body without a declared
         * size is refused with 413 as soon as it grows past it.
         */
        @WithDefault("64K")
        MemorySize maxRequestBody();

        /** HTTP API requests one caller may make per second on an instance (token bucket); more: 429. */
        @WithDefault("20")
        int apiRequestsPerSecond();

        /** HTTP API requests one caller may make at once before the rate applies. */
        @WithDefault("40")
        int apiBurst();

        /**
         * HTTP API requests one client address may make per second on an instance, signed in or not (token bucket
         * of twice this); more: 429. Rotating user ids, or calling without any, does not get past it.
         */
        @WithDefault("200")
        int apiRequestsPerAddressPerSecond();

        /** Connections one user may hold at once, across the cluster; more are refused at the upgrade (429). */
        @WithDefault("20")
        int maxConnectionsPerUser();

        /**
         * TCP connections one client address may hold open on an instance (the forwarded address behind a trusted
         * proxy); more are reset when accepted, or answered 429 at the upgrade behind a proxy. 0: no cap.
         */
        @WithDefault("1000")
        int maxConnectionsPerAddress();

        /** Rooms one user may be a member of, {@code global} included; joining more is {@code forbidden}. */
        @WithDefault("500")
        int maxRoomsPerUser();

        /**
         * Rooms one user may create (by being the first to join) in 24 hours, counted from the first; more is
         * {@code rate_limited}. A room deleted with its last member is given back: it holds nothing any more (its
         * history is counted in its authors' {@link #storedBytesPerDay()}).
         */
        @WithDefault("100")
        int roomsCreatedPerDay();

        /**
         * Invitations one private room may hold in its life (they go with the room); inviting one more user is
         * {@code forbidden}. Inviting someone invited before counts nothing.
         */
        @WithDefault("500")
        int invitationsPerRoom();

        /**
         * Distinct offline users one sender may leave direct messages for in 24 hours, counted from the first; a
         * message to one more is {@code rate_limited} and not stored. Ids nobody uses count too.
         */
        @WithDefault("1000")
        int offlineRecipientsPerDay();

        /**
         * Bytes one user may make the server store in 24 hours, counted from the first: each room message and each
         * direct message kept for an offline user weighs its body's UTF-8 bytes and 100 more; beyond, it is
         * {@code rate_limited} and not stored.
         */
        @WithDefault("67108864")
        long storedBytesPerDay();

        /**
         * At most one {@code typing} per user and room is passed on per this interval by an instance, whatever
         * number of devices send it; the others are acked when they carry a {@code ref}, and dropped.
         */
        @WithDefault("2S")
        Duration typingInterval();
    }

    interface History {
        /** Messages kept per room for {@code history} and {@code join}+{@code since}; older ones are trimmed. */
        @WithDefault("1000")
        int maxPerRoom();

        /** How long a room's history is kept after its last message. */
        @WithDefault("P7D")
        Duration retention();

        /**
         * Memory engine: what every room's history may weigh in all, in heap bytes (a body with a character beyond
         * Latin-1 weighs two bytes a character); beyond it, a {@code publish} is {@code rate_limited}.
         */
        @WithDefault("134217728")
        long memoryMaxBytes();
    }

    interface Inbox {
        /**
         * Direct messages an offline user's inbox takes from senders; one more is refused ({@code inbox_full}) and
         * not stored. What was acked is never dropped to make room.
         */
        @WithDefault("500")
        int maxPerUser();

        /**
         * Direct messages one sender may have waiting in one user's inbox; one more is refused ({@code inbox_full}),
         * so no sender can fill another user's inbox. A message leaves the count once a device took it or it expired.
         */
        @WithDefault("100")
        int maxPerSender();

        /** How long an undelivered direct message waits for its recipient. */
        @WithDefault("P7D")
        Duration ttl();

        /**
         * Memory engine: what every inbox may weigh in all, in heap bytes (as {@code history.memory-max-bytes});
         * beyond it, a direct message for an offline user is {@code rate_limited} and not stored.
         */
        @WithDefault("67108864")
        long memoryMaxBytes();
    }

    interface Direct {
        /**
         * How long a direct message written to a device waits for the device to answer the ping that follows it;
         * unproven by then (or the device closed first), it goes to the inbox and the sender's ack says
         * {@code stored}. Keep it below {@code timeouts.backend}, which bounds the ack.
         */
        @WithDefault("3S")
        Duration proofTimeout();
    }

    interface Redis {
        /** Prefix of every Redis key and channel, so several deployments (or tests) can share one Redis. */
        @WithDefault("sb:")
        String keyPrefix();

        /**
         * On a Redis Cluster, how often the slot map is read again, so a room channel whose slot moved is
         * subscribed where it lives now even if Redis said nothing (a lost push, a new master).
         */
        @WithDefault("5S")
        Duration topologyCheck();
    }

    interface Cluster {
        /**
         * How often an instance refreshes its heartbeat and looks for instances that died. Two missed beats (and
         * a queue without consumer) let another instance take over its queue.
         */
        @WithDefault("1S")
        Duration heartbeatInterval();

        /** How long a heartbeat lives: an instance silent this long is taken for dead and its sessions purged. */
        @WithDefault("15S")
        Duration heartbeatTtl();

        /**
         * Readiness goes DOWN after this many heartbeats in a row failed (a beat fails when Redis refuses it or takes
         * more than two intervals to answer), and UP again with the first that succeeds: one slow reply does not
         * take every instance out of the load balancer.
         */
        @WithDefault("3")
        int unreadyAfterFailedBeats();

        /**
         * How often an instance sets presence straight with its open connections: a session it wrote for a
         * connection that is gone (a removal that failed, an open that timed out and registered late) is removed.
         */
        @WithDefault("30S")
        Duration reconcileInterval();
    }

    interface Liveness {
        /** How often the server pings every connection (WebSocket ping frames; browsers answer them by themselves). */
        @WithDefault("10S")
        Duration pingInterval();

        /**
         * A connection the server has heard nothing from (no frame, no pong) for this long is closed, so a device
         * that went silent shows offline; also how long an upgraded connection may stay silent at first.
         */
        @WithDefault("20S")
        Duration pingTimeout();

        /**
         * A TCP connection with no traffic at all for this long is closed: one that never completes its upgrade,
         * or an HTTP client that went quiet.
         */
        @WithDefault("30S")
        Duration idleTimeout();

        /**
         * A connection must have sent its request head (the WebSocket upgrade, or any HTTP request) this long after
         * it opened, and on a keep-alive connection each later head this long after its first byte, or it is closed:
         * a client dribbling its headers a byte at a time never looks idle.
         */
        @WithDefault("30S")
        Duration handshakeTimeout();
    }

    interface Timeouts {
        /**
         * How long a frame that needs a backend may wait for it before it is answered {@code timeout}, its work
         * going on (PROTOCOL §5 promises an answer within 5 s); also the bound of one room subscription command.
         */
        @WithDefault("5S")
        Duration backend();

        /** After a room subscription failed, how long before it is tried again for the members still here. */
        @WithDefault("1S")
        Duration resubscribeAfter();

        /** Distributed engine: how long start-up may wait to join the cluster (first heartbeat, purge of a namesake). */
        @WithDefault("30S")
        Duration clusterJoin();

        /** Distributed engine: how long shutdown may wait to leave the cluster (heartbeat and sessions removed). */
        @WithDefault("5S")
        Duration clusterLeave();

        /** SIGTERM: how long the drain waits for presence to forget this instance's sessions. */
        @WithDefault("3S")
        Duration drainPresence();

        /** SIGTERM: how long the drain waits for its connections to close (after 1012) before shutdown goes on. */
        @WithDefault("10S")
        Duration drainClose();
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

        /**
         * How long an undelivered message whose handling fails (Redis down while it is routed again, say) is
         * retried, unacknowledged, before it is parked in the {@code <exchange>.parked} queue for an operator.
         */
        @WithDefault("2M")
        Duration undeliveredRetryFor();

        /**
         * A message RabbitMQ has not confirmed within this time is taken as not sent: a direct message then goes
         * to the inbox, and is never published late.
         */
        @WithDefault("2S")
        Duration confirmTimeout();

        /**
         * How often an instance checks whether the instance it stands in for lost its queue's consumer (crashed):
         * it then takes that queue over, so what waits in it reaches its recipients at once.
         */
        @WithDefault("1S")
        Duration takeoverCheck();

        /** An instance's queue that nobody consumes is deleted after this long (never before 6 × undelivered-after). */
        @WithDefault("1M")
        Duration idleQueueExpiry();

        /**
         * How often an instance checks that the exchanges, the undelivered queue and its own queue exist, and
         * declares again what someone deleted.
         */
        @WithDefault("1S")
        Duration routeCheck();
    }
}
