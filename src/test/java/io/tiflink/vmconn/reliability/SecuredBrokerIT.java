package io.tiflink.vmconn.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.cluster.LocalFlinkCluster;
import io.tiflink.vmconn.kafka.KafkaDeadLetterSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The job against a broker that needs TLS and SASL, the usual way to reach Event Hubs or a managed
 * Kafka: a KRaft broker process whose client listener is SASL_SSL, with a CA and a certificate the
 * test makes with keytool, SCRAM-SHA-512 users created when its storage is formatted, and PLAIN
 * users (as Event Hubs uses). Two jobs on a real cluster, one per mechanism, run the SPEC scenario
 * through it: the alerts are exactly the reference's, the dead letters all there. The SCRAM job
 * gets its password on the command line, the PLAIN job from a properties file naming an environment
 * variable of the JobManager. A wrong password and an untrusted certificate each stop the start
 * with one line. No password, of the jobs' or of the stores', is in any log of the cluster or the
 * broker, in the commands' output, in the metrics, the job configuration, the alerts or the dead
 * letters.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "deploy/local/cluster.sh reads /proc")
class SecuredBrokerIT {

    @Test
    void theJobRunsThroughSaslSslAndNeverShowsASecret() throws Exception {
        Reliability.Figures fig = new Reliability.Figures("SecuredBrokerIT");
        Path work = Files.createTempDirectory("ti-reliability-secured-");
        Map<String, String> secrets = new LinkedHashMap<>();
        String storePassword = secret("store", secrets);
        String scramPassword = secret("scram", secrets);
        String plainPassword = secret("plain", secrets);
        String adminPassword = secret("admin", secrets);
        String wrongPassword = secret("wrong", secrets);
        TestCertificates certs = TestCertificates.make(work.resolve("tls"), storePassword);
        BrokerProcess broker =
                BrokerProcess.start(
                        work.resolve("kafka"),
                        new BrokerProcess.Security(
                                certs,
                                Map.of("admin", adminPassword, "ti-job", scramPassword),
                                Map.of("ti-job-plain", plainPassword)));
        fig.step("SASL_SSL broker on " + broker.bootstrapServers());
        LocalFlinkCluster cluster = Reliability.cluster(work.resolve("flink"));
        cluster.environment("TI_KAFKA_PLAIN_PASSWORD", plainPassword);
        cluster.environment("TI_TRUSTSTORE_PASSWORD", storePassword);
        List<String> jobIds = new ArrayList<>();
        boolean passed = false;
        try (Feed scram = new Feed(broker.clientProperties(), "scram");
                Feed plain = new Feed(broker.clientProperties(), "plain")) {
            cluster.start(1, Reliability.clusterOverrides());
            scram.createTopics(2);
            plain.createTopics(2);

            // ---------------------------------------------------------------- both mechanisms
            ScenarioInput a = ScenarioInput.legacy(71, 300);
            ScenarioInput b = ScenarioInput.legacy(72, 300);
            List<String> tls =
                    List.of(
                            "--security-protocol",
                            "SASL_SSL",
                            "--kafka.ssl.truststore.location",
                            certs.truststore().toString(),
                            "--kafka.ssl.truststore.type",
                            "PKCS12",
                            "--kafka.ssl.truststore.password",
                            "${TI_TRUSTSTORE_PASSWORD}");
            List<String> argsA = new ArrayList<>(Reliability.jobArgs(scram, a.settings()));
            argsA.addAll(tls);
            argsA.addAll(
                    List.of(
                            "--sasl-mechanism",
                            "SCRAM-SHA-512",
                            "--sasl-jaas-config",
                            BrokerProcess.jaas("SCRAM-SHA-512", "ti-job", scramPassword)));
            jobIds.add(cluster.submit(Reliability.jobJar(), 1, null, argsA));
            fig.step("SCRAM-SHA-512 job " + jobIds.get(0) + " runs (password on its command line)");

            // PLAIN as for Event Hubs: a properties file, the password from the environment.
            Path props = work.resolve("eventhubs-like.properties");
            Files.writeString(
                    props,
                    String.join(
                            "\n",
                            "security.protocol=SASL_SSL",
                            "sasl.mechanism=PLAIN",
                            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                                    + " required username=\"ti-job-plain\""
                                    + " password=\"${TI_KAFKA_PLAIN_PASSWORD}\";",
                            "ssl.truststore.location=" + certs.truststore(),
                            "ssl.truststore.type=PKCS12",
                            "ssl.truststore.password=${TI_TRUSTSTORE_PASSWORD}",
                            ""));
            List<String> argsB = new ArrayList<>(Reliability.jobArgs(plain, b.settings()));
            argsB.addAll(List.of("--kafka-properties", props.toString()));
            jobIds.add(cluster.submit(Reliability.jobJar(), 1, null, argsB));
            fig.step("PLAIN job " + jobIds.get(1) + " runs (properties file, ${ENV} password)");

            Reliability.Verdict va = run(cluster, jobIds.get(0), scram, a);
            Reliability.Verdict vb = run(cluster, jobIds.get(1), plain, b);

            // ---------------------------------------------------------------- refused starts
            String refused = null;
            List<String> wrongArgs = new ArrayList<>(argsA);
            wrongArgs.set(
                    wrongArgs.size() - 1,
                    BrokerProcess.jaas("SCRAM-SHA-512", "ti-job", wrongPassword));
            long t = System.nanoTime();
            try {
                cluster.submit(Reliability.jobJar(), 1, null, wrongArgs);
            } catch (IOException e) {
                refused = e.getMessage();
            }
            String submitRefusal = Reliability.seconds(t);
            assertThat(refused)
                    .as("a submission with a wrong password fails")
                    .isNotNull()
                    .contains("refused the job's credentials (SASL SCRAM-SHA-512)");
            // What submit.sh printed (the message's first line is the harness's echo of the
            // command the test ran, its own arguments).
            refused = refused.substring(refused.indexOf('\n') + 1);
            String clusterLine = lineWith(refused, "refused the job's credentials");

            LocalRun wrong =
                    localRun(broker, tls(certs.truststore()), wrongPassword, storePassword);
            LocalRun untrusted =
                    localRun(
                            broker, tls(certs.untrustedTruststore()), scramPassword, storePassword);
            for (LocalRun r : List.of(wrong, untrusted)) {
                fig.step("run printed (exit " + r.exit() + "):\n" + r.output());
                assertThat(r.exit()).as("exit code of run: " + r.output()).isEqualTo(2);
                assertThat(r.output().lines().filter(l -> l.startsWith("error:")).count())
                        .as("one error line: " + r.output())
                        .isEqualTo(1);
            }
            assertThat(lineWith(wrong.output(), "error:"))
                    .startsWith(
                            "error: Kafka at "
                                    + broker.bootstrapServers()
                                    + " refused the job's credentials (SASL SCRAM-SHA-512)");
            assertThat(lineWith(untrusted.output(), "error:"))
                    .startsWith(
                            "error: Kafka TLS handshake with "
                                    + broker.bootstrapServers()
                                    + " failed: the broker's certificate is not signed by a CA in"
                                    + " the truststore");

            // ---------------------------------------------------------------- no secret anywhere
            Map<String, String> texts = new LinkedHashMap<>();
            collectFiles(cluster.work().resolve("log"), texts);
            collectFiles(broker.directory().resolve("logs"), texts);
            for (String f : List.of("server.log", "broker.out")) {
                Path p = broker.directory().resolve(f);
                if (Files.exists(p)) {
                    texts.put(p.toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
                }
            }
            texts.put("refused submission", refused);
            texts.put("run with a wrong password", wrong.output());
            texts.put("run with an untrusted certificate", untrusted.output());
            for (String id : jobIds) {
                texts.put("REST job " + id, cluster.get("/jobs/" + id).toString());
                texts.put(
                        "REST job config " + id, cluster.get("/jobs/" + id + "/config").toString());
                texts.put(
                        "REST job manager config " + id,
                        cluster.get("/jobs/" + id + "/jobmanager/config").toString());
            }
            texts.put("REST job manager config", cluster.get("/jobmanager/config").toString());
            int scraped = 0;
            for (String role : cluster.pids().keySet()) {
                var port = cluster.prometheusPort(role);
                if (port.isPresent()) {
                    texts.put("metrics of " + role, cluster.scrape(port.getAsLong()));
                    scraped++;
                }
            }
            int records = 0;
            for (Feed f : List.of(scram, plain)) {
                for (String topic : List.of(f.alerts(), f.deadLetters())) {
                    StringBuilder text = new StringBuilder();
                    for (ConsumerRecord<String, String> r :
                            f.readAll(
                                    topic,
                                    x -> true,
                                    Duration.ofSeconds(2),
                                    Duration.ofSeconds(30))) {
                        text.append(r.key()).append(' ').append(r.value()).append('\n');
                        for (Header h : r.headers()) {
                            text.append(h.key())
                                    .append('=')
                                    .append(new String(h.value(), StandardCharsets.UTF_8))
                                    .append('\n');
                        }
                        records++;
                    }
                    texts.put("topic " + topic, text.toString());
                }
            }
            List<String> leaks = new ArrayList<>();
            long bytes = 0;
            for (Map.Entry<String, String> e : texts.entrySet()) {
                bytes += e.getValue().length();
                secrets.forEach(
                        (name, value) -> {
                            if (e.getValue().contains(value)) {
                                leaks.add("the " + name + " password in " + e.getKey());
                            }
                        });
            }
            assertThat(leaks).as("secrets found").isEmpty();
            assertThat(texts.keySet().stream().filter(k -> k.endsWith("jobmanager.log")).count())
                    .as("the JobManager's log was read")
                    .isEqualTo(1);
            assertThat(scraped).as("metrics scraped").isGreaterThanOrEqualTo(2);

            fig.put(
                    "broker",
                    "KRaft, SASL_SSL client listener, TLS certificate of a CA the test made");
            fig.put("SCRAM-SHA-512 job, alerts expected / got", va.summary());
            fig.put("PLAIN job (Event Hubs style), alerts expected / got", vb.summary());
            fig.put(
                    "wrong password, cluster submission",
                    "refused in " + submitRefusal + " s: " + clusterLine.trim());
            fig.put("wrong password, run", "exit 2, " + lineWith(wrong.output(), "error:"));
            fig.put(
                    "untrusted certificate, run",
                    "exit 2, " + lineWith(untrusted.output(), "error:"));
            fig.put(
                    "secrets searched",
                    secrets.size()
                            + " passwords in "
                            + texts.size()
                            + " texts ("
                            + bytes / 1024
                            + " KiB: every log of the cluster and the broker, the commands' output,"
                            + " the job configuration, the metrics of "
                            + scraped
                            + " processes, "
                            + records
                            + " alert and dead-letter records): found 0");
            passed = true;
        } catch (Throwable t) {
            for (String id : jobIds) {
                System.out.println("job " + id + ": " + cluster.lastFailure(id));
            }
            System.out.println(cluster.logTails(40) + "\nbroker:\n" + broker.logTail(40));
            throw t;
        } finally {
            Reliability.finish(fig, cluster, broker, work, passed, "SecuredBrokerIT: files");
        }
    }

    /** The scenario through the job: alerts exactly the reference's, dead letters all there. */
    private static Reliability.Verdict run(
            LocalFlinkCluster cluster, String jobId, Feed feed, ScenarioInput in) throws Exception {
        feed.sendIndicators(in.indicators());
        feed.sendConnections(in.connections());
        feed.clocksPast(in);
        Reliability.awaitInputCheckpointed(cluster, feed, jobId, Duration.ofMinutes(4));
        List<ObjectNode> expected = feed.expectedAlerts(in.settings());
        assertThat(expected).hasSizeGreaterThan(10);
        Reliability.Verdict v = Reliability.verdict(feed, expected);
        List<ConsumerRecord<String, String>> dead =
                feed.readDeadLetters(in.deadLetterCount(), Duration.ofMinutes(1));
        assertThat(dead).hasSize(in.deadLetterCount());
        for (ConsumerRecord<String, String> d : dead) {
            Header reason = d.headers().lastHeader(KafkaDeadLetterSerializer.REASON);
            assertThat(reason).isNotNull();
        }
        return v;
    }

    /** What the local jar's run command printed, and its exit code. */
    private record LocalRun(int exit, String output) {}

    private static List<String> tls(Path truststore) {
        return List.of(
                "--security-protocol",
                "SASL_SSL",
                "--kafka.ssl.truststore.location",
                truststore.toString(),
                "--kafka.ssl.truststore.type",
                "PKCS12",
                "--kafka.ssl.truststore.password",
                "${TI_TRUSTSTORE_PASSWORD}");
    }

    /** {@code java -jar ti-ip-vmconnection-local.jar run ...} as a user would start it. */
    private static LocalRun localRun(
            BrokerProcess broker, List<String> tls, String password, String storePassword)
            throws Exception {
        Path jar = Reliability.project().resolve("target/ti-ip-vmconnection-local.jar");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Paths.get(System.getProperty("java.home"), "bin", "java")
                                        .toString(),
                                "-jar",
                                jar.toString(),
                                "run",
                                "--bootstrap-servers",
                                broker.bootstrapServers(),
                                "--web-ui-port",
                                "0",
                                "--sasl-mechanism",
                                "SCRAM-SHA-512",
                                "--sasl-jaas-config",
                                BrokerProcess.jaas("SCRAM-SHA-512", "ti-job", password)));
        command.addAll(tls);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TI_TRUSTSTORE_PASSWORD", storePassword);
        Path out = Files.createTempFile("ti-run-", ".out");
        Process p = pb.redirectOutput(out.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("run did not stop: " + Files.readString(out));
        }
        String output = Files.readString(out);
        Files.delete(out);
        return new LocalRun(p.exitValue(), output);
    }

    private static String lineWith(String text, String part) {
        return text.lines()
                .filter(l -> l.contains(part))
                .findFirst()
                .orElse("(no line with " + part + ")");
    }

    private static void collectFiles(Path dir, Map<String, String> into) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                into.put(f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh random password, recorded by name. */
    private static String secret(String name, Map<String, String> into) {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        String s = name + "-" + HexFormat.of().formatHex(b);
        into.put(name, s);
        return s;
    }
}
