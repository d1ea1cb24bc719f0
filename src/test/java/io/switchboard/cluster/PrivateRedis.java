package io.switchboard.cluster;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A throwaway {@code redis-server} on a free loopback port, so fault tests can freeze, kill and restart Redis
 * without touching the machine's own Redis.
 */
final class PrivateRedis implements AutoCloseable {

    private final int port;
    /** Where a restart that keeps the data finds it. */
    private final Path dir;
    private Process process;

    PrivateRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        dir = Files.createDirectories(Path.of("target", "it-redis-" + port));
        Files.deleteIfExists(dir.resolve("dump.rdb"));
        start();
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it, empty: nothing is ever saved to disk. */
    void start() throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "it-logs"));
        process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("redis-" + port + ".log").toFile()))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    /** Empties it (FLUSHALL) while it keeps running, as an operator's mistake or a failover to an empty replica would. */
    void flushAll() throws Exception {
        int exit = new ProcessBuilder("redis-cli", "-p", String.valueOf(port), "FLUSHALL").inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("FLUSHALL failed: " + exit);
        }
    }

    /** How many times it ran the command since it started ({@code INFO commandstats}), e.g. {@code hexists}. */
    long calls(String command) throws Exception {
        Process info = new ProcessBuilder("redis-cli", "-p", String.valueOf(port), "INFO", "commandstats").start();
        String stats = new String(info.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        info.waitFor();
        java.util.regex.Matcher calls = java.util.regex.Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
                .matcher(stats);
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    /** Freezes it (SIGSTOP): connections stay open but nothing is answered, like a hung or cut-off server. */
    void freeze() throws Exception {
        signal("STOP");
    }

    void thaw() throws Exception {
        signal("CONT");
    }

    /** Kills it (SIGKILL) and starts it again on the same port, empty. */
    void restartEmpty() throws Exception {
        process.destroyForcibly().waitFor();
        Files.deleteIfExists(dir.resolve("dump.rdb"));
        start();
    }

    /**
     * Stops it as an operator's restart does ({@code SHUTDOWN SAVE}), so connections are refused, not frozen, for
     * {@code down}, then starts it again with its data.
     */
    void restartKeepingData(Duration down) throws Exception {
        cli("SHUTDOWN", "SAVE");
        process.waitFor();
        Thread.sleep(down.toMillis());
        start();
    }

    /** How many times Redis ran each command since it started ({@code INFO commandstats}), by command name. */
    java.util.Map<String, Long> commandCalls() throws Exception {
        java.util.Map<String, Long> calls = new java.util.HashMap<>();
        for (String line : cli("INFO", "commandstats").split("\\R")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String count = line.substring(line.indexOf("calls=") + "calls=".length());
                calls.put(name, Long.parseLong(count.substring(0, count.indexOf(','))));
            }
        }
        return calls;
    }

    private String cli(String... command) throws Exception {
        java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of("redis-cli", "-p", String.valueOf(port)));
        line.addAll(java.util.List.of(command));
        Process cli = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        cli.waitFor();
        return output;
    }

    private void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() throws Exception {
        signal("CONT");
        process.destroyForcibly().waitFor();
    }
}
