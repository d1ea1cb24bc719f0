package io.switchboard.testing;

import java.time.Duration;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.switchboard.config.SwitchboardConfig;

/** Switchboard's settings outside a running application: the defaults, with some overridden. */
public final class TestConfig {

    private TestConfig() {
    }

    public static SwitchboardConfig with(Map<String, String> overrides) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SwitchboardConfig.class)
                // Quarkus reads "5S" as five seconds; plain SmallRye would want "PT5S"
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new MapBackedConfigSource("test", overrides) {
                })
                .build();
        return config.getConfigMapping(SwitchboardConfig.class);
    }
}
