package io.switchboard.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One instance of the packaged application ({@code target/quarkus-app/quarkus-run.jar}) in its own process, on
 * a free port, with its output in {@code target/it-logs}. {@link #close()} stops it by pid, even after a crash.
 */
final class InstanceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String instanceId;
    private final int port;
    private final Process process;

    private InstanceProcess(String instanceId, int port, Process process) {
        this.instanceId = instanceId;
        this.port = port;
        this.process = process;
    }

    /** Starts an instance with the given environment on top of the cluster settings, and waits until it is ready. */
    static InstanceProcess start(String instanceId, Map<String, String> env) throws IOException {
        InstanceProcess instance = launch(instanceId, env);
        instance.awaitReady();
        return instance;
    }

    /** Starts an instance without waiting for anything: for tests of how it starts, or refuses to. */
    static InstanceProcess launch(String instanceId, Map<String, String> env) throws IOException {
        int port = freePort();
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(instanceId + ".log").toFile());
        Map<String, String> environment = new HashMap<>(env);
        environment.put("SERVER_ID", instanceId);
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().putAll(environment);
        InstanceProcess instance = new InstanceProcess(instanceId, port, builder.start());
        Runtime.getRuntime().addShutdownHook(new Thread(instance.process::destroyForcibly));
        return instance;
    }

    /** Waits for the process to end by itself; returns its exit code. */
    int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError(instanceId + " was still running after " + atMost);
        }
        return process.exitValue();
    }

    /** Everything the process printed so far. */
    String log() throws IOException {
        return Files.readString(Path.of("target", "it-logs", instanceId + ".log"));
    }

    private void awaitReady() {
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(instanceId + " exited with " + process.exitValue()
                        + "; see target/it-logs/" + instanceId + ".log");
            }
            return httpStatus("/q/health/ready") == 200;
        });
    }

    int httpStatus(String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) http(path).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }

    /** What this instance's {@code GET /api/users/{user}/presence} says. */
    boolean online(String user) {
        return io.restassured.RestAssured.given().baseUri("http://127.0.0.1").port(port)
                .queryParam("user_id", "viewer").get("/api/users/{user}/presence", user)
                .then().statusCode(200).extract().path("online");
    }

    String instanceId() {
        return instanceId;
    }

    int port() {
        return port;
    }

    URI ws() {
        return URI.create("http://127.0.0.1:" + port + "/ws");
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Sends SIGTERM, as Kubernetes does to drain a pod, and waits for the exit; returns how long it took. */
    Duration terminate(Duration atMost) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError(instanceId + " did not exit within " + atMost);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Kills the process with SIGKILL: no shutdown hook, no clean-up, as in a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
