package io.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.switchboard.testing.ChatClient;
import io.switchboard.testing.Frames;
import io.switchboard.testing.RawSocket;
import io.vertx.core.json.JsonObject;

/**
 * A device that stops reading (a 4 KB receive buffer it never empties) yet keeps its connection alive with pings,
 * flooded with direct messages from the other instance, holds up no other device of its instance: a victim there
 * gets the direct messages sent to it after the flood at once, while the flood is still being delivered or kept.
 */
class StallingReaderIT {

    private static final int FLOOD = 1000;
    private static final String BODY = "x".repeat(4000);
    private static final int VICTIMS_MESSAGES = 3;

    private Cluster cluster;

    @BeforeEach
    void startCluster() throws Exception {
        // the inbox's cap is not what this is about: room for the whole flood
        cluster = new Cluster(Map.of("SWITCHBOARD_INBOX_MAX_PER_USER", "5000"));
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void aDeviceThatStopsReadingHoldsUpNoOtherDevicesDirectMessages() throws Exception {
        String attacker = "stall-attacker";
        String victim = "stall-victim";
        ChatClient victimsDevice = Cluster.connect(cluster.one, "user_id=" + victim);
        ChatClient flooder = Cluster.connect(cluster.two, "user_id=stall-flooder");
        ChatClient friend = Cluster.connect(cluster.two, "user_id=stall-friend");
        try (RawSocket stalled = RawSocket.upgradedWithSmallBuffer(cluster.one.ws(), "user_id=" + attacker)) {
            keepAlive(stalled);
            for (int i = 0; i < FLOOD; i++) {
                flooder.send(Frames.direct(attacker, BODY).put("ref", "flood" + i));
            }
            String last = "flood" + (FLOOD - 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> !flooder.all(f -> last.equals(f.getString("ref"))).isEmpty());
            keepAlive(stalled);

            long sent = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < VICTIMS_MESSAGES; i++) {
                JsonObject ack = friend.request(Frames.direct(victim, "are you there? " + i));
                assertThat(ack.getString("delivered")).isEqualTo("online");
                ids.add(ack.getString("id"));
            }
            for (String id : ids) {
                victimsDevice.await(f -> id.equals(f.getString("id")));
            }
            double seconds = (System.nanoTime() - sent) / 1e9;
            System.out.printf("with a stalled reader flooded by %d direct messages on its instance, the victim's %d"
                    + " arrived %.3f s after they were sent%n", FLOOD, VICTIMS_MESSAGES, seconds);
        }
        victimsDevice.close();
        flooder.close();
        friend.close();
    }

    /** A text ping, as a client does to keep its connection from the read-idle cut, which it never reads the answer of. */
    private static void keepAlive(RawSocket stalled) throws Exception {
        stalled.sendFrame(0x1, new JsonObject().put("type", "ping").encode().getBytes(StandardCharsets.UTF_8), false);
    }
}
