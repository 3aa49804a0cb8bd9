package io.tiflink.vmconn.reliability;

import io.tiflink.vmconn.cluster.LocalFlinkCluster;
import io.tiflink.vmconn.demo.LocalKafkaBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one JVM) as a child process from
 * Kafka's own jars ({@code target/kafka-broker/lib}, as the demo's {@link LocalKafkaBroker}), that
 * a test can SIGKILL and start again on the same data directory and port, as a crashed broker comes
 * back. Optionally the client listener is SASL_SSL (TLS with the test's certificates, SASL
 * SCRAM-SHA-512 and PLAIN), with a PLAINTEXT listener of its own for the broker's internal traffic.
 */
final class BrokerProcess implements AutoCloseable {

    /** The client listener's security: TLS keystore and the SASL users. */
    record Security(
            TestCertificates certificates,
            Map<String, String> scramUsers,
            Map<String, String> plainUsers) {}

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final int internalPort;
    private final Security security;
    private final String classpath;
    private Process process;
    private int starts;

    private BrokerProcess(Path dir, Security security) throws IOException {
        this.dir = dir;
        this.security = security;
        this.port = LocalFlinkCluster.freePort();
        this.controllerPort = LocalFlinkCluster.freePort();
        this.internalPort = LocalFlinkCluster.freePort();
        this.classpath = LocalKafkaBroker.classpathOf(LocalKafkaBroker.libDirectory());
    }

    /** A PLAINTEXT broker, formatted in {@code dir} and started. */
    static BrokerProcess start(Path dir) throws Exception {
        return start(dir, null);
    }

    /**
     * A broker whose client listener has this security (null: PLAINTEXT), formatted and started.
     */
    static BrokerProcess start(Path dir, Security security) throws Exception {
        BrokerProcess b = new BrokerProcess(dir, security);
        b.format();
        b.start();
        return b;
    }

    private void format() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        writeConfig();
        writeLogConfig();
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java(),
                                "-XX:TieredStopAtLevel=1",
                                "-XX:+UseSerialGC",
                                "-Xmx256m",
                                "-Dlog4j2.configurationFile="
                                        + dir.resolve("log4j2.properties").toUri(),
                                "-cp",
                                classpath,
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                dir.resolve("server.properties").toString()));
        if (security != null) {
            // SCRAM credentials live in the cluster metadata: written at format time.
            security.scramUsers()
                    .forEach(
                            (user, password) -> {
                                command.add("--add-scram");
                                command.add(
                                        "SCRAM-SHA-512=[name="
                                                + user
                                                + ",password="
                                                + password
                                                + "]");
                            });
        }
        Process f =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("format.out").toFile())
                        .start();
        if (!f.waitFor(90, TimeUnit.SECONDS) || f.exitValue() != 0) {
            f.destroyForcibly();
            throw new IOException(
                    "formatting the broker failed:\n"
                            + Files.readString(dir.resolve("format.out")));
        }
    }

    /** Starts the broker process (again, after {@link #kill}) and waits until it answers. */
    synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        List<String> command =
                List.of(
                        java(),
                        "-Xms128m",
                        "-Xmx512m",
                        "-XX:+UseG1GC",
                        "-XX:MaxGCPauseMillis=20",
                        "-Djava.awt.headless=true",
                        "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties").toUri(),
                        "-Dkafka.logs.dir=" + dir.resolve("logs"),
                        // marks the process as this test's (never another's)
                        "-Dti.reliability.broker=" + dir,
                        "-cp",
                        classpath,
                        "kafka.Kafka",
                        dir.resolve("server.properties").toString());
        starts++;
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dir.resolve("broker.out").toFile()))
                        .start();
        awaitReady(Duration.ofSeconds(120));
    }

    /** SIGKILL: the broker dies as in a crash or a lost machine; its data directory stays. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly(); // SIGKILL on Linux
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int starts() {
        return starts;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    Path directory() {
        return dir;
    }

    /** Client properties that reach the broker as the given SASL user (or PLAINTEXT). */
    Properties clientProperties(String mechanism, String user, String password) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        if (security != null) {
            p.putAll(TestCertificates.clientTls(security.certificates()));
            p.put("security.protocol", "SASL_SSL");
            p.put("sasl.mechanism", mechanism);
            p.put("sasl.jaas.config", jaas(mechanism, user, password));
        }
        return p;
    }

    /** PLAINTEXT client properties; for a secured broker, its first SCRAM user's. */
    Properties clientProperties() {
        if (security == null) {
            return clientProperties(null, null, null);
        }
        Map.Entry<String, String> admin = security.scramUsers().entrySet().iterator().next();
        return clientProperties("SCRAM-SHA-512", admin.getKey(), admin.getValue());
    }

    static String jaas(String mechanism, String user, String password) {
        String module =
                mechanism.startsWith("SCRAM")
                        ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                        : "org.apache.kafka.common.security.plain.PlainLoginModule";
        return module + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** The tail of the broker's log, for messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(dir.resolve("server.log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }

    /** Kills the broker and deletes its directory. */
    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Reliability.deleteRecursively(dir);
    }

    // ---------------------------------------------------------------- configuration

    private void writeConfig() throws IOException {
        Map<String, String> p =
                new LinkedHashMap<>(LocalKafkaBroker.singleNodeSettings(dir, controllerPort));
        if (security == null) {
            p.put(
                    "listeners",
                    "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port);
            p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,CLIENT:PLAINTEXT");
            p.put("inter.broker.listener.name", "CLIENT");
        } else {
            p.put(
                    "listeners",
                    "CLIENT://127.0.0.1:"
                            + port
                            + ",INTERNAL://127.0.0.1:"
                            + internalPort
                            + ",CONTROLLER://127.0.0.1:"
                            + controllerPort);
            p.put(
                    "advertised.listeners",
                    "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort);
            p.put(
                    "listener.security.protocol.map",
                    "CONTROLLER:PLAINTEXT,CLIENT:SASL_SSL,INTERNAL:PLAINTEXT");
            p.put("inter.broker.listener.name", "INTERNAL");
            p.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
            p.put(
                    "listener.name.client.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            StringBuilder plain =
                    new StringBuilder(
                            "org.apache.kafka.common.security.plain.PlainLoginModule required");
            security.plainUsers()
                    .forEach(
                            (user, password) ->
                                    plain.append(" user_")
                                            .append(user)
                                            .append("=\"")
                                            .append(password)
                                            .append('"'));
            p.put("listener.name.client.plain.sasl.jaas.config", plain.append(';').toString());
            TestCertificates c = security.certificates();
            p.put("listener.name.client.ssl.keystore.location", c.brokerKeystore().toString());
            p.put("listener.name.client.ssl.keystore.type", "PKCS12");
            p.put("listener.name.client.ssl.keystore.password", c.storePassword());
            p.put("listener.name.client.ssl.key.password", c.storePassword());
            p.put("listener.name.client.ssl.client.auth", "none");
        }
        Properties props = new Properties();
        props.putAll(p);
        try (OutputStream out = Files.newOutputStream(dir.resolve("server.properties"))) {
            props.store(out, "single-node KRaft broker for a reliability test");
        }
    }

    private void writeLogConfig() throws IOException {
        Files.writeString(
                dir.resolve("log4j2.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = file",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.append = true",
                        "appender.file.fileName = " + dir.resolve("server.log"),
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                        ""),
                StandardCharsets.UTF_8);
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!portOpen(port)) {
            if (!process.isAlive()) {
                throw new IOException(
                        "the Kafka broker stopped while starting:\n"
                                + Files.readString(dir.resolve("broker.out"))
                                + logTail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the Kafka broker did not open its port:\n" + logTail(30));
            }
            Thread.sleep(100);
        }
        try (Admin admin = Admin.create(clientProperties())) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) left))
                    .nodes()
                    .get(left, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException("the Kafka broker does not answer: " + e + "\n" + logTail(30), e);
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

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}
