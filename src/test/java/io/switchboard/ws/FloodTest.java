package io.switchboard.ws;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.ChatTest;
import io.switchboard.testing.RawSocket;
import io.switchboard.testing.Watcher;

/**
 * Floods one connection can send within every size limit, each against a bystander on the same instance: the
 * offender is held to its frame budget or closed, and the bystander's ping is answered as before.
 */
@QuarkusTest
class FloodTest extends ChatTest {

    /** Watchers' ping→pong on loopback, with room for a busy CI machine; the unbounded floods took seconds. */
    private static final long WATCHER_P99_MILLIS = 500;

    @ConfigProperty(name = "switchboard.limits.frames-per-second")
    int framesPerSecond;

    @ConfigProperty(name = "switchboard.limits.frame-burst")
    int frameBurst;

    @ConfigProperty(name = "switchboard.limits.messages-in-flight")
    int messagesInFlight;

    @Test
    void aPingFloodFromAClientThatNeverReadsIsAnsweredAtTheFrameRateAtMost() throws Exception {
        try (Watcher watcher = watcher()) {
            long started = System.nanoTime();
            int pongs;
            long pings;
            try (RawSocket attacker = RawSocket.upgradedWithSmallBuffer(ws, "user_id=" + clients.id("pinger"))) {
                pings = flood(attacker, RawSocket.frame(true, 0, 0x9, new byte[125], true), 500, Duration.ofSeconds(3));
                pongs = attacker.countFrames(Duration.ofSeconds(1), Duration.ofSeconds(3))[0xA];
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(pings).isGreaterThan(2L * frameBurst);
            assertThat(pongs).isLessThanOrEqualTo((int) (frameBurst + framesPerSecond * seconds));
            assertThat(watcher.stopAndGetMillis(0.99)).isLessThan(WATCHER_P99_MILLIS);
        }
    }

    @Test
    void emptyContinuationsOfAMessageThatNeverEndsCloseTheConnectionWith1008() throws Exception {
        try (Watcher watcher = watcher();
                RawSocket attacker = RawSocket.upgraded(ws, "user_id=" + clients.id("fragmenter"))) {
            attacker.write(RawSocket.frame(false, 0, 0x1, "{".getBytes(), true));
            attacker.write(repeat(RawSocket.frame(false, 0, 0x0, new byte[0], true), 10_000));

            assertThat(attacker.readCloseCode()).isEqualTo(1008);
            assertThat(watcher.stopAndGetMillis(0.99)).isLessThan(WATCHER_P99_MILLIS);
        }
    }

    @Test
    void aFloodOfMessagesWaitsInTheSendersTcpBuffersNotInTheServer() throws Exception {
        int attackers = 10;
        byte[] frame = RawSocket.frame(true, 0, 0x1, "{\"type\":\"presence\",\"room\":\"global\"}".getBytes(), true);
        // per connection: what may wait for an answer, plus what one socket read (64 KiB at most) held past it
        int bound = attackers * (messagesInFlight + 65536 / frame.length + 1);
        List<RawSocket> senders = new ArrayList<>();
        try (Watcher watcher = watcher()) {
            for (int i = 0; i < attackers; i++) {
                RawSocket sender = RawSocket.upgradedWithSmallBuffer(ws, "user_id=" + clients.id("presence" + i));
                senders.add(sender);
                flood(sender, frame, 20_000, Duration.ofMillis(1));
            }
            double most = 0;
            for (long end = System.nanoTime() + Duration.ofSeconds(3).toNanos(); System.nanoTime() < end;) {
                most = Math.max(most, gauge("switchboard_inbound_waiting"));
            }

            assertThat(most).isLessThanOrEqualTo(bound);
            assertThat(watcher.stopAndGetMillis(0.99)).isLessThan(WATCHER_P99_MILLIS);
        } finally {
            for (RawSocket sender : senders) {
                sender.reset();
            }
        }
    }

    /** A gauge of {@code /q/metrics}; fails when the scrape does not have it. */
    private static double gauge(String name) {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return scrape.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(name + " is not in /q/metrics"));
    }

    private Watcher watcher() {
        return new Watcher(clients.user(clients.id("watcher")));
    }

    /**
     * Writes the batch again and again for {@code duration}, or until the server stops taking it (a write blocked
     * for good) or closes; returns how many batches went out, times the frames in one.
     */
    private static long flood(RawSocket attacker, byte[] frame, int perBatch, Duration duration)
            throws InterruptedException {
        byte[] batch = repeat(frame, perBatch);
        AtomicLong batches = new AtomicLong();
        Thread writer = new Thread(() -> {
            long end = System.nanoTime() + duration.toNanos();
            try {
                while (System.nanoTime() < end) {
                    attacker.write(batch);
                    batches.incrementAndGet();
                }
            } catch (IOException closed) {
                // the server closed the connection, or the test did to end a blocked write
            }
        }, "flood");
        writer.start();
        writer.join(duration.toMillis());
        return batches.get() * perBatch;
    }

    private static byte[] repeat(byte[] frame, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length * times);
        for (int i = 0; i < times; i++) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }
}
