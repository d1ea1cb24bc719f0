package io.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PortConfigSourceTest {

    @Test
    void acceptsThePlainAndTheSeedsColonForm() {
        assertThat(new PortConfigSource("8080").getValue("quarkus.http.port")).isEqualTo("8080");
        assertThat(new PortConfigSource(":9090").getValue("quarkus.http.port")).isEqualTo("9090");
        assertThat(new PortConfigSource("0.0.0.0:7070").getValue("quarkus.http.port")).isEqualTo("7070");
    }

    @Test
    void saysNothingWhenPortIsUnset() {
        assertThat(new PortConfigSource(null).getPropertyNames()).isEmpty();
        assertThat(new PortConfigSource(" ").getPropertyNames()).isEmpty();
    }

    @Test
    void ranksAboveApplicationPropertiesAndBelowTheEnvironment() {
        assertThat(new PortConfigSource("1").getOrdinal()).isBetween(251, 299);
    }
}
