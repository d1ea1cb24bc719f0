package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.switchboard.config.SwitchboardConfig;

/**
 * README and docs/ checked against the code and each other: every setting is in README's table with its env name
 * and default, and every link between the documents reaches a file of the repository and a heading in it.
 */
class DocumentationTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

    @Test
    void everySettingIsInReadmesTableWithItsEnvNameAndDefault() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Map<String, Optional<String>> settings = new TreeMap<>();
        collect(SwitchboardConfig.class, "switchboard", settings);
        assertThat(settings).hasSizeGreaterThan(50);
        settings.forEach((property, fallback) -> {
            Optional<String> row = readme.lines().filter(line -> line.startsWith("| `" + property + "` |")).findFirst();
            assertThat(row).as("README's Settings table has a row for %s", property).isPresent();
            String[] cells = row.get().split(" \\| ");
            String env = property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            assertThat(cells[1]).as("env name of %s", property).contains(env.equals("SWITCHBOARD_INSTANCE_ID") ? "SERVER_ID" : env);
            fallback.ifPresent(value -> assertThat(cells[2]).as("default of %s", property).contains("`" + value + "`"));
        });
    }

    @Test
    void everyLinkBetweenTheDocumentsReachesAFileAndHeadingInTheRepository() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(documents::add);
        }
        assertThat(documents).extracting(p -> p.getFileName().toString())
                .contains("protocol.md", "design.md", "performance.md", "limits.md");
        for (Path document : documents) {
            Matcher link = LINK.matcher(Files.readString(document));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // http(s) and the like: not a file of the repository
                }
                String where = document.getFileName() + " → " + target;
                int hash = target.indexOf('#');
                Path file = hash == 0 ? document : document.getParent().resolve(hash < 0 ? target : target.substring(0, hash)).normalize();
                assertThat(file).as(where).startsWith(ROOT).exists();
                if (hash >= 0) {
                    assertThat(anchors(file)).as(where).contains(target.substring(hash + 1));
                }
            }
        }
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as dashes. */
    private static List<String> anchors(Path markdown) throws IOException {
        List<String> anchors = new ArrayList<>();
        Matcher heading = HEADING.matcher(Files.readString(markdown));
        while (heading.find()) {
            anchors.add(heading.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    private static void collect(Class<?> group, String prefix, Map<String, Optional<String>> settings) {
        for (Method method : group.getDeclaredMethods()) {
            WithName renamed = method.getAnnotation(WithName.class);
            String property = prefix + "." + (renamed != null ? renamed.value()
                    : method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() == SwitchboardConfig.class) {
                collect(method.getReturnType(), property, settings);
            } else {
                WithDefault fallback = method.getAnnotation(WithDefault.class);
                settings.put(property, Optional.ofNullable(fallback).map(WithDefault::value));
            }
        }
    }
}
