package io.switchboard.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real six-node Redis Cluster (three masters, three replicas) on free loopback ports, each node a
 * {@code redis-server} process in a folder of its own under {@code target/redis-cluster}, created with
 * {@code redis-cli --cluster create}. {@link #close()} stops every node by pid and deletes the folder. A short
 * node timeout makes failovers quick: a killed master's replica takes over in about 2.5 s.
 */
public final class LocalRedisCluster implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(30);
    private static final int NODES = 6;

    private final Path dir;
    private final List<Integer> ports;
    private final List<Process> processes = new ArrayList<>();

    private LocalRedisCluster(Path dir, List<Integer> ports) {
        this.dir = dir;
        this.ports = ports;
    }

    public static LocalRedisCluster start() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "redis-cluster", UUID.randomUUID().toString().substring(0, 8)));
        LocalRedisCluster cluster = new LocalRedisCluster(dir, freePorts());
        try {
            cluster.startNodes();
            cluster.create();
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startNodes() throws IOException, InterruptedException {
        for (int port : ports) {
            Path node = Files.createDirectories(dir.resolve(String.valueOf(port)));
            processes.add(new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
                    "--save", "", "--appendonly", "no", "--dir", node.toString())
                    .redirectErrorStream(true).redirectOutput(node.resolve("redis.log").toFile()).start());
        }
        for (int port : ports) {
            awaitTrue(() -> cli(port, "ping").contains("PONG"), "node " + port + " answers");
        }
    }

    private void create() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        ports.forEach(port -> command.add("127.0.0.1:" + port));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Process create = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("create.log").toFile()).start();
        if (!create.waitFor(READY.toSeconds(), TimeUnit.SECONDS) || create.exitValue() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(dir.resolve("create.log")));
        }
    }

    /** Every node sees the cluster OK and every replica has its master's data link up. */
    public void awaitHealthy() throws InterruptedException {
        awaitTrue(() -> liveNodes().allMatch(port -> cli(port, "cluster", "info").contains("cluster_state:ok")),
                "cluster_state:ok everywhere");
        awaitTrue(() -> liveNodes().allMatch(port -> {
            String replication = cli(port, "info", "replication");
            return replication.contains("role:master") || replication.contains("master_link_status:up");
        }), "replicas in sync");
    }

    /** Seed addresses for a cluster client: the nodes, as {@code redis://127.0.0.1:port}, comma-separated. */
    public String hosts() {
        return ports.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** The port of the master that owns the slot of {@code key}. */
    public int masterOf(String key) {
        int asked = liveNodes().findFirst().orElseThrow();
        String slot = cli(asked, "cluster", "keyslot", key).trim();
        for (String line : cli(asked, "cluster", "nodes").split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 8 && fields[2].contains("master") && !fields[2].contains("fail")) {
                for (int i = 8; i < fields.length; i++) {
                    if (covers(fields[i], Integer.parseInt(slot))) {
                        return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                    }
                }
            }
        }
        throw new IllegalStateException("no master for " + key);
    }

    private static boolean covers(String range, int slot) {
        if (range.startsWith("[")) {
            return false; // a slot being migrated
        }
        String[] bounds = range.split("-");
        int low = Integer.parseInt(bounds[0]);
        int high = Integer.parseInt(bounds[bounds.length - 1]);
        return slot >= low && slot <= high;
    }

    /** Kills a node with SIGKILL, as a crash: its replica takes over after the node timeout. */
    public void kill(int port) throws InterruptedException {
        Process node = processes.get(ports.indexOf(port));
        node.destroyForcibly();
        node.waitFor();
    }

    /** Waits until another node than {@code killed} is the master of {@code key}'s slot and the cluster is OK. */
    public void awaitFailover(String key, int killed) throws InterruptedException {
        awaitTrue(() -> {
            try {
                return masterOf(key) != killed;
            } catch (IllegalStateException midFailover) {
                return false;
            }
        }, "new master for " + key);
        awaitTrue(() -> liveNodes().allMatch(port -> cli(port, "cluster", "info").contains("cluster_state:ok")),
                "cluster_state:ok after the failover");
    }

    private Stream<Integer> liveNodes() {
        return ports.stream().filter(port -> processes.get(ports.indexOf(port)).isAlive());
    }

    private static String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes());
            cli.waitFor(5, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis Cluster: no " + what + " within " + READY.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Six ports whose cluster bus ports (port + 10000) are free too. */
    private static List<Integer> freePorts() throws IOException {
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < NODES) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (port + 10000 < 65536 && free(port + 10000) && !ports.contains(port)) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process node : processes) {
            node.destroy();
        }
        for (Process node : processes) {
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // target/ is cleaned by the build anyway
        }
    }
}
