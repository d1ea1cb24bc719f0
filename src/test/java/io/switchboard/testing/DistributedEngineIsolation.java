package io.switchboard.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * When a test run asks for the distributed engine ({@code -Dswitchboard.engine=distributed}), gives it a Redis key
 * prefix, a RabbitMQ exchange and a server id of its own before any application starts, and removes both when the run ends.
 */
public class DistributedEngineIsolation implements LauncherSessionListener {

    private String prefix;
    private String exchange;
    private String instanceId;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!"distributed".equals(System.getProperty("switchboard.engine"))) {
            return;
        }
        prefix = TestBackends.uniqueName("run") + ":";
        exchange = TestBackends.uniqueName("exchange");
        System.setProperty("switchboard.redis.key-prefix", prefix);
        System.setProperty("switchboard.rabbitmq.exchange", exchange);
        instanceId = TestBackends.uniqueName("server");
        System.setProperty("switchboard.instance-id", instanceId);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (prefix != null) {
            TestBackends.deleteRedisKeys(prefix);
            TestBackends.deleteRabbitExchange(exchange, instanceId);
        }
    }
}
