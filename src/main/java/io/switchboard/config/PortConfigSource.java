package io.switchboard.config;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Maps the seed's {@code PORT} variable onto {@code quarkus.http.port}, accepting both {@code 8080} and the
 * Go-style {@code :8080}. Its ordinal sits between application.properties (250) and the environment (300), so
 * {@code QUARKUS_HTTP_PORT} still wins when both are set.
 */
public class PortConfigSource implements ConfigSource {

    private static final String HTTP_PORT = "quarkus.http.port";

    private final Map<String, String> properties;

    public PortConfigSource() {
        this(System.getenv("PORT"));
    }

    PortConfigSource(String port) {
        this.properties = port == null || port.isBlank() ? Map.of() : Map.of(HTTP_PORT, normalise(port));
    }

    static String normalise(String port) {
        String trimmed = port.trim();
        int colon = trimmed.lastIndexOf(':');
        return colon >= 0 ? trimmed.substring(colon + 1) : trimmed;
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "switchboard-PORT";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }
}
