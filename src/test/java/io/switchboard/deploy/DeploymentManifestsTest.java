package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.smallrye.config.WithName;
import io.switchboard.config.SwitchboardConfig;

/**
 * The compose file, the Kubernetes manifests and the Dockerfiles checked against the application itself, so
 * that a renamed setting, port or probe path cannot leave them silently wrong.
 */
class DeploymentManifestsTest {

    static final int HTTP_PORT = 8080;
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";
    /** Settings read under their own names (Quarkus, SmallRye JWT, the RabbitMQ connector, the seed, the image). */
    static final Set<String> OTHER_ENV = Set.of("SERVER_ID", "PORT", "QUARKUS_HTTP_PORT", "QUARKUS_REDIS_HOSTS",
            "RABBITMQ_HOST", "RABBITMQ_PORT", "RABBITMQ_USERNAME", "RABBITMQ_PASSWORD",
            "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_CLOCK_SKEW",
            "QUARKUS_SHUTDOWN_TIMEOUT", "QUARKUS_SHUTDOWN_DELAY", "QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE", "JAVA_OPTS_APPEND");

    @Test
    void everyOtherEnvNameIsDocumentedInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        OTHER_ENV.stream().filter(name -> !name.equals("JAVA_OPTS_APPEND"))
                .forEach(name -> assertThat(readme).as(name).contains(name));
    }

    @Test
    void composeRunsTwoDistinctDistributedInstancesBehindAWebSocketLoadBalancer() throws IOException {
        Map<String, Object> services = map(load("docker-compose.yml"), "services");
        Map<String, Object> one = map(services, "switchboard-1");
        Map<String, Object> two = map(services, "switchboard-2");
        for (Map<String, Object> instance : List.of(one, two)) {
            Map<String, Object> env = map(instance, "environment");
            assertThat(env.get("SWITCHBOARD_ENGINE")).isEqualTo("distributed");
            // dev identity only through the documented override
            assertThat(env.get("SWITCHBOARD_AUTH_MODE")).isEqualTo("token");
            assertThat(env).containsKey("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
            assertThat(knownEnv()).containsAll(env.keySet());
            assertThat(String.valueOf(map(instance, "healthcheck").get("test"))).contains(READY);
            assertThat(map(instance, "depends_on")).containsKeys("redis", "rabbitmq");
        }
        assertThat(map(one, "environment").get("SERVER_ID")).isNotEqualTo(map(two, "environment").get("SERVER_ID"));
        assertThat(map(map(services, "lb"), "depends_on")).containsKeys("switchboard-1", "switchboard-2");
        String nginx = Files.readString(Path.of("deploy", "nginx.conf"));
        assertThat(nginx).contains("switchboard-1:" + HTTP_PORT, "switchboard-2:" + HTTP_PORT,
                "proxy_set_header Upgrade", "listen " + HTTP_PORT).doesNotContain("ip_hash", "sticky");
    }

    @Test
    void theDeploymentProbesTheRealPathsOnTheRealPortAndDrainsInTime() throws IOException {
        Map<String, Object> pod = map(map(load("k8s/deployment.yaml"), "spec"), "template");
        Map<String, Object> spec = map(pod, "spec");
        Map<String, Object> container = list(spec, "containers").get(0);

        assertThat(list(container, "ports").get(0).get("containerPort")).isEqualTo(HTTP_PORT);
        assertThat(map(map(container, "livenessProbe"), "httpGet").get("path")).isEqualTo(LIVE);
        assertThat(map(map(container, "readinessProbe"), "httpGet").get("path")).isEqualTo(READY);
        Map<String, Object> instanceId = list(container, "env").stream()
                .filter(e -> "SERVER_ID".equals(e.get("name"))).findFirst().orElseThrow();
        assertThat(map(map(instanceId, "valueFrom"), "fieldRef").get("fieldPath")).isEqualTo("metadata.name");
        // preStop pause 5 s + shutdown delay 1 s + drain at most 10 s + HTTP wait 5 s
        assertThat((Integer) spec.get("terminationGracePeriodSeconds")).isGreaterThanOrEqualTo(21);
        assertThat(map(map(container, "resources"), "limits")).containsKeys("cpu", "memory");
    }

    @Test
    void configMapAndSecretHoldOnlySettingsTheApplicationReads() throws IOException {
        Set<String> names = new HashSet<>(map(load("k8s/configmap.yaml"), "data").keySet());
        map(load("k8s/secret.yaml"), "stringData").keySet().stream().filter(k -> !k.endsWith(".pem"))
                .forEach(names::add);

        assertThat(knownEnv()).containsAll(names);
        assertThat(names).contains("SWITCHBOARD_ENGINE", "QUARKUS_REDIS_HOSTS", "RABBITMQ_HOST", "RABBITMQ_PASSWORD",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
    }

    @Test
    void thePodRunsOneEventLoopPerCoreItMayUse() throws IOException {
        Map<String, Object> container = list(map(map(map(load("k8s/deployment.yaml"), "spec"), "template"), "spec"),
                "containers").get(0);
        Object cpuLimit = map(map(container, "resources"), "limits").get("cpu");
        Object eventLoops = map(load("k8s/configmap.yaml"), "data").get("QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE");
        assertThat(String.valueOf(eventLoops)).isEqualTo(String.valueOf(cpuLimit));
    }

    @Test
    void kustomizationListsEveryManifestAndTheServiceIsNotSticky() throws IOException {
        List<String> resources = (List<String>) (List<?>) load("k8s/kustomization.yaml").get("resources");
        try (Stream<Path> files = Files.list(Path.of("k8s"))) {
            assertThat(resources).containsExactlyInAnyOrderElementsOf(files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml")).toList());
        }
        Map<String, Object> service = map(load("k8s/service.yaml"), "spec");
        assertThat(service.get("sessionAffinity")).isEqualTo("None");
        assertThat(list(service, "ports").get(0).get("targetPort")).isEqualTo("http");
    }

    @Test
    void theManifestsStartTheImagesWithTheMeasuredMemoryOptions() throws IOException {
        Matcher jvmOptions = Pattern.compile("ENV JAVA_OPTS_APPEND=\"([^\"]+)\"")
                .matcher(Files.readString(Path.of("src", "main", "docker", "Dockerfile.jvm")));
        assertThat(jvmOptions.find()).isTrue();
        assertThat(jvmOptions.group(1)).contains("-Xmn16m", "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40",
                "-XX:MinHeapDeltaBytes=16m");
        Map<String, Object> container = list(map(map(map(load("k8s/deployment.yaml"), "spec"), "template"), "spec"),
                "containers").get(0);
        assertThat(list(container, "env")).anySatisfy(env -> {
            assertThat(env.get("name")).isEqualTo("JAVA_OPTS_APPEND");
            assertThat(env.get("value")).isEqualTo(jvmOptions.group(1));
        });
        String nativeOverlay = Files.readString(Path.of("k8s", "native", "kustomization.yaml"));
        for (String name : List.of("Dockerfile.native", "Dockerfile.native-micro")) {
            String dockerfile = Files.readString(Path.of("src", "main", "docker", name));
            assertThat(dockerfile).as(name).contains("\"-Xmx384m\", \"-Xmn16m\"");
        }
        assertThat(nativeOverlay).contains("- ..", "newName: switchboard-native", "\"-Xmx384m\", \"-Xmn16m\"");
    }

    @Test
    void imagesExposeTheHttpPortAndRunAsNonRoot() throws IOException {
        for (String name : List.of("Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro")) {
            String dockerfile = Files.readString(Path.of("src", "main", "docker", name));
            assertThat(dockerfile).as(name).contains("EXPOSE " + HTTP_PORT).containsPattern("(?m)^USER (185|1001)$");
        }
    }

    @Test
    void readmeAndImagesNameTheQuarkusVersionTheBuildUses() throws IOException {
        Matcher version = Pattern.compile("<quarkus.version>([^<]+)</quarkus.version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).isTrue();
        String quarkus = "Quarkus " + version.group(1);
        assertThat(Files.readString(Path.of("README.md"))).contains(quarkus);
        for (String name : List.of("Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro")) {
            assertThat(Files.readString(Path.of("src", "main", "docker", name))).as(name).contains(quarkus);
        }
    }

    /** The env names of every {@code switchboard.*} setting, the SmallRye way, and the others the app reads. */
    static Set<String> knownEnv() {
        Set<String> names = new HashSet<>(OTHER_ENV);
        collect(SwitchboardConfig.class, "switchboard", names);
        return names;
    }

    private static void collect(Class<?> group, String prefix, Set<String> names) {
        for (Method method : group.getDeclaredMethods()) {
            WithName renamed = method.getAnnotation(WithName.class);
            String property = prefix + "." + (renamed != null ? renamed.value() : kebab(method.getName()));
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() == SwitchboardConfig.class) {
                collect(method.getReturnType(), property, names);
            } else {
                names.add(property.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Map<String, Object> load(String path) throws IOException {
        return new Yaml().load(Files.readString(Path.of(path)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (List<Map<String, Object>>) parent.get(key);
    }
}
