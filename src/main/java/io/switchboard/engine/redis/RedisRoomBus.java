package io.switchboard.engine.redis;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.switchboard.bus.RoomBus;
import io.switchboard.bus.RoomEvent;
import io.switchboard.bus.RoomListener;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.metrics.ChatMetrics;
import io.switchboard.protocol.RoomMessage;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * Rooms on Redis: a message is stored in the room's stream and pushed on its sharded channel in one script, an
 * event only pushed ({@link RoomStream}); each instance hears the rooms it subscribed to through
 * {@link ShardedChannels}.
 */
class RedisRoomBus implements RoomBus {

    private final Redis redis;
    private final RedisKeys keys;
    private final ShardedChannels channels;
    private final ObjectMapper mapper;
    private final ChatMetrics metrics;
    private final String maxPerRoom;
    private final String retentionMillis;

    RedisRoomBus(Redis redis, RedisKeys keys, ShardedChannels channels, ObjectMapper mapper, ChatMetrics metrics,
            SwitchboardConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.channels = channels;
        this.mapper = mapper;
        this.metrics = metrics;
        this.maxPerRoom = String.valueOf(config.history().maxPerRoom());
        this.retentionMillis = String.valueOf(config.history().retention().toMillis());
    }

    @Override
    public void listen(RoomListener listener) {
        channels.listen(listener);
    }

    @Override
    public Uni<RoomMessage> publish(String room, String from, String body) {
        return RoomStream.PUBLISH.run(redis, List.of(keys.roomLog(room)),
                List.of(maxPerRoom, retentionMillis, keys.roomChannel(room), from, body))
                .map(streamId -> RoomStream.message(room, streamId.toString(), from, body))
                .onFailure().invoke(() -> metrics.backendFailure("redis"));
    }

    @Override
    public Uni<Void> broadcast(RoomEvent event) {
        return Uni.createFrom().item(() -> RoomStream.eventPush(event, mapper))
                .chain(push -> redis.send(Request.cmd(Command.SPUBLISH).arg(keys.roomChannel(event.room())).arg(push)))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> subscribe(String room) {
        return channels.subscribe(room);
    }

    @Override
    public Uni<Void> unsubscribe(String room) {
        return channels.unsubscribe(room);
    }
}
