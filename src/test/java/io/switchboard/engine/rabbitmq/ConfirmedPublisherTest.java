package io.switchboard.engine.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import io.switchboard.testing.TestBackends;

/** The publisher against the machine's real RabbitMQ, on an exchange and a queue of this test's own. */
class ConfirmedPublisherTest {

    private static final AMQP.BasicProperties TEXT = new AMQP.BasicProperties.Builder().contentType("text/plain").build();

    private final ConnectionFactory factory = new ConnectionFactory();
    private final String exchange = TestBackends.uniqueName("publisher");
    private final String queue = exchange + ".queue";
    private final ExecutorService writer = Executors.newSingleThreadExecutor();
    private ConfirmedPublisher publisher;
    private Connection connection;
    private Channel channel;

    @BeforeEach
    void declare() throws Exception {
        factory.setHost("127.0.0.1");
        connection = factory.newConnection();
        channel = connection.createChannel();
        channel.exchangeDeclare(exchange, "topic", false, true, null);
        channel.queueDeclare(queue, false, false, true, null);
        channel.queueBind(queue, exchange, "to.test");
        publisher = new ConfirmedPublisher(factory, exchange, writer);
    }

    @AfterEach
    void delete() throws Exception {
        publisher.close();
        writer.awaitTermination(5, TimeUnit.SECONDS);
        channel.queueDelete(queue);
        channel.exchangeDelete(exchange);
        connection.close();
    }

    @Test
    void aMessageCompletesOnceRabbitMqHasIt() throws Exception {
        publisher.publish("to.test", TEXT, bytes("hello")).await().atMost(Duration.ofSeconds(5));

        assertThat(next()).isEqualTo("hello");
    }

    @Test
    void aMessageWhoseSenderGaveUpIsNeverPublishedLate() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        writer.execute(() -> awaitQuietly(busy));

        assertThatThrownBy(() -> publisher.publish("to.test", TEXT, bytes("late"))
                .ifNoItem().after(Duration.ofMillis(100)).fail()
                .await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(io.smallrye.mutiny.TimeoutException.class);
        busy.countDown();
        publisher.publish("to.test", TEXT, bytes("on time")).await().atMost(Duration.ofSeconds(5));

        assertThat(next()).isEqualTo("on time");
        assertThat(channel.basicGet(queue, true)).isNull();
    }

    private String next() throws Exception {
        GetResponse response = channel.basicGet(queue, true);
        assertThat(response).as("a message in %s", queue).isNotNull();
        return new String(response.getBody(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
