package io.switchboard.engine.rabbitmq;

import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

import io.smallrye.mutiny.Uni;
import io.switchboard.config.InstanceId;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.metrics.ChatMetrics;

/**
 * Where undelivered envelopes go that could not be handled within {@code rabbitmq.undelivered-retry-for}: the
 * durable queue {@code <exchange>.parked}, bound to the fanout exchange of the same name, which an operator sees
 * (and {@code switchboard_envelopes_parked_total} counts) and moves back to {@code <exchange>.unroutable} once the
 * cause is fixed (README, "Parked messages"). Each keeps its routing key (the instance it was for) and says why
 * in the {@code x-parked-because} header. Completes once RabbitMQ confirmed it; only then is the original
 * acknowledged.
 */
@ApplicationScoped
class ParkedEnvelopes {

    private final String parked;
    private final long confirmMillis;
    private final ChatMetrics metrics;
    private final BrokerLink link;

    ParkedEnvelopes(SwitchboardConfig config, InstanceId instanceId, Config settings, ChatMetrics metrics) {
        this.parked = config.rabbitmq().exchange() + ".parked";
        this.confirmMillis = config.timeouts().backend().toMillis();
        this.metrics = metrics;
        this.link = new BrokerLink(new ConnectorSettings(settings, config.timeouts().backend()),
                "switchboard-parking " + instanceId.id());
    }

    /** Parks one message carrying {@code envelopes} envelopes (its body as it is to be replayed). */
    Uni<Void> park(String routingKey, byte[] body, int envelopes, String because) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("text/plain")
                .deliveryMode(2)
                .headers(Map.of("x-parked-because", because))
                .build();
        return Uni.createFrom().completionStage(() -> link.call(on -> {
            Channel channel = on.channel();
            // declared each time: parking is rare, and an operator may have deleted the queue since
            channel.exchangeDeclare(parked, BuiltinExchangeType.FANOUT, true, false, null);
            channel.queueDeclare(parked, true, false, false, null);
            channel.queueBind(parked, parked, "#");
            channel.basicPublish(parked, routingKey == null ? "" : routingKey, properties, body);
            channel.waitForConfirmsOrDie(confirmMillis);
            return null;
        })).invoke(() -> metrics.envelopesParked(envelopes)).replaceWithVoid();
    }

    @PreDestroy
    void stop() {
        link.stop();
    }
}
