package io.switchboard.engine.rabbitmq;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.microprofile.config.Config;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.TrustEverythingTrustManager;

/**
 * The messaging connector's connection settings, for the connections Switchboard opens itself with the RabbitMQ
 * Java client (taking over a queue, repairing routes, parking messages): they must reach the same broker as the
 * channels, as the same user, or they are silently off. Each attribute is looked up as the connector does for the
 * {@code instance-in} channel: the channel's own ({@code mp.messaging.incoming.instance-in.password}), the
 * connector's ({@code mp.messaging.connector.smallrye-rabbitmq.password}), then the global alias
 * ({@code rabbitmq-password}, env {@code RABBITMQ_PASSWORD}), then the connector's default.
 */
final class ConnectorSettings {

    private static final String CHANNEL = "mp.messaging.incoming.instance-in.";
    private static final String CONNECTOR = "mp.messaging.connector.smallrye-rabbitmq.";

    private final Config config;
    private final ConnectionFactory factory;
    private final Address[] addresses;

    /** Reads the settings; a connection is then opened within {@code timeout}, and recovers nothing by itself. */
    ConnectorSettings(Config config, Duration timeout) {
        this.config = config;
        this.factory = connectionFactory(timeout);
        this.addresses = string("addresses", "rabbitmq-addresses").map(Address::parseAddresses)
                .orElseGet(() -> new Address[] { new Address(factory.getHost(), factory.getPort()) });
    }

    /** A connection to the first of the addresses that answers. */
    Connection open(String name) throws IOException, TimeoutException {
        return factory.newConnection(addresses, name);
    }

    ConnectionFactory factory() {
        return factory;
    }

    /** The addresses to try in turn ({@code rabbitmq-addresses}), or the host and port alone. */
    Address[] addresses() {
        return addresses.clone();
    }

    private ConnectionFactory connectionFactory(Duration timeout) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(string("host", "rabbitmq-host").orElse("localhost"));
        factory.setPort(value("port", "rabbitmq-port", Integer.class).orElse(5672));
        factory.setUsername(string("username", "rabbitmq-username").orElse("guest"));
        factory.setPassword(string("password", "rabbitmq-password").orElse("guest"));
        factory.setVirtualHost(string("virtual-host", "rabbitmq-virtual-host").orElse("/"));
        factory.setAutomaticRecoveryEnabled(false);
        // these connections run on threads of their own: an unreachable broker must not hold one for a minute
        factory.setConnectionTimeout((int) timeout.toMillis());
        factory.setHandshakeTimeout((int) timeout.toMillis());
        if (value("ssl", "rabbitmq-ssl", Boolean.class).orElse(false)) {
            factory.useSslProtocol(sslContext());
            if ("HTTPS".equalsIgnoreCase(string("ssl.hostname-verification-algorithm", null).orElse("NONE"))) {
                factory.enableHostnameVerification();
            }
        }
        return factory;
    }

    private SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.2");
            if (value("trust-all", "rabbitmq-trust-all", Boolean.class).orElse(false)) {
                context.init(null, new javax.net.ssl.TrustManager[] { new TrustEverythingTrustManager() }, null);
                return context;
            }
            Optional<String> trustStore = string("trust-store-path", "rabbitmq-trust-store-path");
            if (trustStore.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore keys = KeyStore.getInstance("JKS");
            char[] password = string("trust-store-password", "rabbitmq-trust-store-password").map(String::toCharArray)
                    .orElse(null);
            try (InputStream in = new FileInputStream(trustStore.get())) {
                keys.load(in, password);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keys);
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("rabbitmq-ssl is set but TLS cannot be set up: " + e.getMessage(), e);
        }
    }

    private Optional<String> string(String attribute, String alias) {
        return value(attribute, alias, String.class);
    }

    private <T> Optional<T> value(String attribute, String alias, Class<T> type) {
        Optional<T> found = config.getOptionalValue(CHANNEL + attribute, type);
        if (found.isEmpty()) {
            found = config.getOptionalValue(CONNECTOR + attribute, type);
        }
        if (found.isEmpty() && alias != null) {
            found = config.getOptionalValue(alias, type);
        }
        return found;
    }
}
