package io.switchboard.engine.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The connections Switchboard opens itself reach the broker the channels reach, as the same user. */
class ConnectorSettingsTest {

    @Test
    void theGlobalSettingsAreEveryConnectionSetting() {
        ConnectorSettings settings = settings(Map.of(
                "rabbitmq-host", "rabbit.internal",
                "rabbitmq-port", "5673",
                "rabbitmq-username", "switchboard",
                "rabbitmq-password", "s3cret",
                "rabbitmq-virtual-host", "chat",
                "rabbitmq-ssl", "true",
                "rabbitmq-trust-all", "true"));
        ConnectionFactory factory = settings.factory();
        assertThat(factory.getHost()).isEqualTo("rabbit.internal");
        assertThat(factory.getPort()).isEqualTo(5673);
        assertThat(factory.getUsername()).isEqualTo("switchboard");
        assertThat(factory.getPassword()).isEqualTo("s3cret");
        assertThat(factory.getVirtualHost()).isEqualTo("chat");
        assertThat(factory.isSSL()).isTrue();
        assertThat(factory.getConnectionTimeout()).isEqualTo(3000);
        assertThat(settings.addresses()).containsExactly(new Address("rabbit.internal", 5673));
    }

    @Test
    void addressesOverrideTheHost() {
        ConnectorSettings settings = settings(Map.of(
                "rabbitmq-host", "ignored",
                "rabbitmq-addresses", "rabbit-0:5672,rabbit-1:5673"));
        assertThat(settings.addresses()).containsExactly(new Address("rabbit-0", 5672), new Address("rabbit-1", 5673));
    }

    @Test
    void theChannelsOwnValueWinsOverTheConnectorsWhichWinsOverTheAlias() {
        ConnectorSettings settings = settings(Map.of(
                "rabbitmq-password", "alias",
                "mp.messaging.connector.smallrye-rabbitmq.password", "connector",
                "mp.messaging.connector.smallrye-rabbitmq.username", "from-connector",
                "mp.messaging.incoming.instance-in.password", "channel"));
        assertThat(settings.factory().getPassword()).isEqualTo("channel");
        assertThat(settings.factory().getUsername()).isEqualTo("from-connector");
    }

    @Test
    void theConnectorsDefaultsWhenNothingIsSet() {
        ConnectionFactory factory = settings(Map.of()).factory();
        assertThat(factory.getHost()).isEqualTo("localhost");
        assertThat(factory.getPort()).isEqualTo(5672);
        assertThat(factory.getUsername()).isEqualTo("guest");
        assertThat(factory.getVirtualHost()).isEqualTo("/");
        assertThat(factory.isSSL()).isFalse();
    }

    private static ConnectorSettings settings(Map<String, String> values) {
        return new ConnectorSettings(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "test", 100)).build(), Duration.ofSeconds(3));
    }
}
