package io.switchboard.engine.rabbitmq;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.ShutdownSignalException;

import io.smallrye.common.annotation.Identifier;
import io.switchboard.config.InstanceId;
import io.switchboard.config.SwitchboardConfig;

/**
 * Declares again, within {@code rabbitmq.route-check}, what this instance's routes need and someone deleted: the
 * topic exchange, the undelivered exchange and queue, this instance's queue, and their bindings (an operator, a
 * policy, or the queue's expiry while the connection was cut). With the exchange gone, every publish fails and
 * its direct message goes to the inbox; with the queue gone, messages for this instance are undelivered and
 * retried into the inbox; so nothing acked is lost meanwhile, but nothing reaches a device live either until
 * this runs. The connector declares all of it only when it connects, so a deletion under a live connection would
 * last until a restart. Each is checked passively (a check of something missing costs the channel, which the
 * link opens again) and declared with the arguments the connector uses; the bindings are declared every time,
 * since one instance declaring the exchange again does not bring back the others' bindings. The connector's
 * consumer of a deleted queue is started again by {@link ConsumerRevival}.
 */
@ApplicationScoped
public class RouteRepair {

    private static final Logger LOG = Logger.getLogger(RouteRepair.class);

    private final SwitchboardConfig config;
    private final Map<String, Object> exchangeArguments;
    private final Map<String, Object> queueArguments;
    private final String exchange;
    private final String undelivered;
    private final String queue;
    private final String routingKey;
    private final BrokerLink link;

    RouteRepair(InstanceQueues queues, InstanceId instanceId, SwitchboardConfig config, Config settings,
            @Identifier("switchboard-exchange") Map<String, Object> exchangeArguments,
            @Identifier("switchboard-instance-queue") Map<String, Object> queueArguments) {
        this.config = config;
        this.exchangeArguments = exchangeArguments;
        this.queueArguments = queueArguments;
        this.exchange = config.rabbitmq().exchange();
        this.undelivered = InstanceQueues.undelivered(config);
        this.queue = queues.queueOf(instanceId.id());
        this.routingKey = InstanceQueues.routingKeyOf(instanceId.id());
        this.link = new BrokerLink(new ConnectorSettings(settings, config.timeouts().backend()),
                "switchboard-routes " + instanceId.id());
    }

    public void start() {
        link.every(config.rabbitmq().routeCheck(), this::repair);
    }

    public void stop() {
        link.stop();
    }

    private Void repair(BrokerLink on) throws IOException, TimeoutException {
        if (missing(on, () -> on.channel().exchangeDeclarePassive(exchange))) {
            on.channel().exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true, false, exchangeArguments);
            LOG.warnf("exchange %s was deleted: declared again", exchange);
        }
        if (missing(on, () -> on.channel().exchangeDeclarePassive(undelivered))) {
            on.channel().exchangeDeclare(undelivered, BuiltinExchangeType.FANOUT, true, false, null);
            LOG.warnf("exchange %s was deleted: declared again", undelivered);
        }
        if (missing(on, () -> on.channel().queueDeclarePassive(undelivered))) {
            on.channel().queueDeclare(undelivered, true, false, false, null);
            LOG.warnf("queue %s was deleted: declared again", undelivered);
        }
        if (missing(on, () -> on.channel().queueDeclarePassive(queue))) {
            on.channel().queueDeclare(queue, false, false, false, queueArguments);
            LOG.warnf("this instance's queue %s was deleted: declared again", queue);
        }
        on.channel().queueBind(undelivered, undelivered, "#");
        on.channel().queueBind(queue, exchange, routingKey);
        return null;
    }

    /** Whether the passive declaration found nothing; any other failure is thrown. */
    private static boolean missing(BrokerLink on, PassiveCheck check) throws IOException, TimeoutException {
        try {
            check.run();
            return false;
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException closed && !closed.isHardError()
                    && closed.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == AMQP.NOT_FOUND) {
                return true;
            }
            throw e;
        }
    }

    private interface PassiveCheck {
        void run() throws IOException, TimeoutException;
    }
}
