package io.tiflink.vmconn.demo;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker (KRaft combined mode: broker and controller in one
 * process) as a child process, from Kafka's own jars, listening on 127.0.0.1 only, with its data in
 * a temporary directory. For the demo; no Docker.
 *
 * <p>The jars are kafka_2.13 and its runtime dependencies, which {@code mvn package} copies to
 * {@code target/kafka-broker/lib} ({@link #DEFAULT_LIB}; another directory or a classpath can be
 * given). Start: write server.properties, format the storage with {@code kafka.tools.StorageTool},
 * start {@code kafka.Kafka}, wait until the broker answers. {@link #close()} stops it and deletes
 * the directory.
 *
 * <p>The broker runs under a small {@code sh} guard that ignores Ctrl-C (the demo stops the broker
 * itself, after the job) and stops the broker, then deletes its directory, when its standard input
 * closes: on {@link #close()}, and also when this JVM dies without running its shutdown hooks (kill
 * -9), so that nothing is left behind.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** System property naming the directory with the broker's jars. */
    public static final String LIB_PROPERTY = "kafka.broker.lib";

    public static final String DEFAULT_LIB = "target/kafka-broker/lib";

    private static final String GUARD =
            String.join(
                    "\n",
                    "trap '' INT QUIT",
                    "\"$@\" </dev/null &",
                    "broker=$!",
                    "trap 'kill $broker 2>/dev/null; wait $broker; exit 143' TERM HUP",
                    "read _ignored || true",
                    "kill $broker 2>/dev/null",
                    "wait $broker",
                    // Also when the JVM died without cleaning up: the broker's files go with it.
                    "case \"$TI_DEMO_KAFKA_DIR\" in */ti-demo-kafka-*) rm -rf -- \"$TI_DEMO_KAFKA_DIR\";; esac");

    private final Path dir;
    private final int port;
    private final Process process;
    private volatile boolean closed;

    private LocalKafkaBroker(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Settings for {@link #start}. */
    public static final class Settings {
        int port = 9092;
        String classpath;
        String heap = "512m";
        Duration startTimeout = Duration.ofSeconds(90);
        PrintStream log = System.err;

        /** The client port; 0 = any free port. If the port is taken, a free one is used instead. */
        public Settings port(int p) {
            this.port = p;
            return this;
        }

        /** The broker's classpath (default: all jars in {@link #libDirectory()}). */
        public Settings classpath(String cp) {
            this.classpath = cp;
            return this;
        }

        /** The broker's -Xmx. */
        public Settings heap(String h) {
            this.heap = h;
            return this;
        }

        public Settings startTimeout(Duration d) {
            this.startTimeout = d;
            return this;
        }

        public Settings log(PrintStream p) {
            this.log = p;
            return this;
        }
    }

    /** The directory with the broker's jars: -Dkafka.broker.lib, else target/kafka-broker/lib. */
    public static Path libDirectory() {
        return Paths.get(System.getProperty(LIB_PROPERTY, DEFAULT_LIB))
                .toAbsolutePath()
                .normalize();
    }

    /** The classpath of the jars in {@code lib}, with a clear error when they are not there. */
    public static String classpathOf(Path lib) {
        List<String> jars = new ArrayList<>();
        boolean server = false;
        if (Files.isDirectory(lib)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(lib, "*.jar")) {
                for (Path p : ds) {
                    jars.add(p.toString());
                    server |= p.getFileName().toString().startsWith("kafka_2.13-");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!server) {
            throw new IllegalStateException(
                    "the Kafka broker's jars are not in "
                            + lib
                            + ": run `mvn -DskipTests "
                            + "package` in the project directory first (it copies them there), run from that directory, "
                            + "or give their directory with -D"
                            + LIB_PROPERTY
                            + "=DIR");
        }
        jars.sort(Comparator.naturalOrder());
        return String.join(File.pathSeparator, jars);
    }

    /** Starts a broker and waits until it answers. */
    public static LocalKafkaBroker start(Settings s) throws IOException, InterruptedException {
        String classpath = s.classpath != null ? s.classpath : classpathOf(libDirectory());
        int port = s.port == 0 || !isFree(s.port) ? freePort() : s.port;
        if (s.port != 0 && port != s.port) {
            s.log.println("broker: port " + s.port + " is taken; using " + port);
        }
        int controllerPort = freePort();
        Path dir = Files.createTempDirectory("ti-demo-kafka-");
        try {
            Path config = writeConfig(dir, port, controllerPort);
            Path log4j = writeLogConfig(dir);
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            List<String> jvm =
                    List.of(
                            java,
                            "-Xms128m",
                            "-Xmx" + s.heap,
                            "-XX:+UseG1GC",
                            "-XX:MaxGCPauseMillis=20",
                            "-Djava.awt.headless=true",
                            "-Dlog4j2.configurationFile=" + log4j.toUri(),
                            "-Dkafka.logs.dir=" + dir.resolve("logs"),
                            "-cp",
                            classpath);

            // A short-lived tool: the client compiler and a small heap start it faster.
            List<String> format =
                    new ArrayList<>(
                            List.of(
                                    java,
                                    "-XX:TieredStopAtLevel=1",
                                    "-XX:+UseSerialGC",
                                    "-Xmx256m",
                                    "-Dlog4j2.configurationFile=" + log4j.toUri(),
                                    "-cp",
                                    classpath));
            format.addAll(
                    List.of(
                            "kafka.tools.StorageTool",
                            "format",
                            "-t",
                            Uuid.randomUuid().toString(),
                            "-c",
                            config.toString()));
            Process f =
                    new ProcessBuilder(format)
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("format.out").toFile())
                            .start();
            if (!f.waitFor(s.startTimeout.toSeconds(), TimeUnit.SECONDS) || f.exitValue() != 0) {
                f.destroyForcibly();
                throw new IOException(
                        "formatting the broker's storage failed:\n"
                                + tail(dir.resolve("format.out")));
            }

            List<String> command = new ArrayList<>(List.of("sh", "-c", GUARD, "kafka-broker"));
            command.addAll(jvm);
            command.addAll(List.of("kafka.Kafka", config.toString()));
            ProcessBuilder pb =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("broker.out").toFile());
            pb.environment().put("TI_DEMO_KAFKA_DIR", dir.toString());
            Process p = pb.start();
            LocalKafkaBroker broker = new LocalKafkaBroker(dir, port, p);
            try {
                broker.awaitReady(s.startTimeout);
            } catch (IOException | InterruptedException | RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (IOException | RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    private static Path writeConfig(Path dir, int port, int controllerPort) throws IOException {
        Properties p = new Properties();
        singleNodeSettings(dir, controllerPort).forEach(p::setProperty);
        p.setProperty(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        Path file = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "single-node KRaft broker for the TI demo");
        }
        return file;
    }

    /**
     * The settings, but for the listeners (besides the controller's name), of a single-node KRaft
     * broker: broker and controller in one process, its controller listener on {@code
     * controllerPort}, its data and metadata in {@code dir}; every replication factor and minimum
     * ISR is 1 (one node), internal topics are small, topics are never created by themselves, and a
     * group starts at once.
     */
    public static Map<String, String> singleNodeSettings(Path dir, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("metadata.log.dir", dir.resolve("metadata").toString());
        p.put("num.partitions", "2");
        p.put("auto.create.topics.enable", "false");
        p.put("default.replication.factor", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        return p;
    }

    private static Path writeLogConfig(Path dir) throws IOException {
        Path file = dir.resolve("log4j2.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = file",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.fileName = " + dir.resolve("server.log"),
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                        ""),
                StandardCharsets.UTF_8);
        return file;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!portOpen(port)) {
            if (!process.isAlive()) {
                throw new IOException(
                        "the Kafka broker stopped while starting:\n"
                                + tail(dir.resolve("broker.out"))
                                + tail(dir.resolve("server.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "the Kafka broker did not open port "
                                + port
                                + " within "
                                + timeout.toSeconds()
                                + " s:\n"
                                + tail(dir.resolve("server.log")));
            }
            Thread.sleep(200);
        }
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            admin.describeCluster(
                            new DescribeClusterOptions()
                                    .timeoutMs((int) Math.min(left, Integer.MAX_VALUE)))
                    .nodes()
                    .get(left, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException(
                    "the Kafka broker on port " + port + " does not answer: " + e.getMessage(), e);
        }
    }

    /** HOST:PORT for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The temporary directory: server.properties, data, server.log. Deleted on close. */
    public Path directory() {
        return dir;
    }

    /** The pid of the guard process; the broker JVM is its child. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the broker (orderly, then by force after 30 s) and deletes its directory. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ProcessHandle> family = new ArrayList<>();
        process.toHandle().descendants().forEach(family::add);
        try {
            process.getOutputStream().close(); // the guard reads EOF and stops the broker
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : family) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        process.destroyForcibly();
        deleteRecursively(dir);
    }

    // ---------------------------------------------------------------- helpers

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))
                    + "\n";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")\n";
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException ignored) {
                                    // best effort; the rest still goes
                                }
                            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
