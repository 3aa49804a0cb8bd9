package io.tiflink.vmconn.kafka;

import static io.tiflink.vmconn.testing.KafkaBrokerExtension.send;
import static io.tiflink.vmconn.testing.KafkaBrokerExtension.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.job.KafkaJobConfig;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.reference.Scenario;
import io.tiflink.vmconn.reference.ScenarioGenerator;
import io.tiflink.vmconn.reference.SpecReference;
import io.tiflink.vmconn.testing.KafkaBrokerExtension;
import io.tiflink.vmconn.testing.ScenarioLines;
import io.tiflink.vmconn.workflow.AlertComparison;
import io.tiflink.vmconn.workflow.DetectionWorkflow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Kafka job against a real broker (Kafka's KRaft server in this JVM) on a MiniCluster at
 * parallelism 2: the production sources, sinks and settings ({@link KafkaJob}), alerts read with
 * read_committed and compared with the independent SPEC reference.
 *
 * <p>Watermarks here are driven by data alone (idleness off unless a test is about idleness): after
 * the real rows, each partition gets a "clock" row far ahead in time that matches nothing, so the
 * result cannot depend on timing and every window closes.
 */
class KafkaJobIT {

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir Path dir;

    private final List<JobClient> jobs = new ArrayList<>();

    @AfterEach
    void cancelJobs() throws Exception {
        for (JobClient j : jobs) {
            try {
                if (!j.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                    j.cancel().get(30, TimeUnit.SECONDS);
                }
            } catch (Exception ignored) {
                // already gone
            }
        }
    }

    // ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "indicator shapes: {0}")
    @EnumSource(ScenarioGenerator.Shapes.class)
    void rowsOnTheTopicsComeOutAsTheSpecAlertsAndUnreadableOnesAsDeadLetters(
            ScenarioGenerator.Shapes shapes) throws Exception {
        KafkaTestJobs.Names n = KafkaTestJobs.Names.unique("spec-" + shapes.name().toLowerCase());
        KAFKA.createTopics(
                n.indicators(), 2, n.connections(), 2, n.alerts(), 2, n.deadLetters(), 1);
        Scenario sc = sorted(ScenarioGenerator.generate(31, 300, false, shapes));
        SpecReference.Settings settings = sc.settings().withEmitMode("final");
        Produced produced = produceWithClocks(n, sc.indicatorLines(), sc.connectionLines());

        List<String> args = KafkaTestJobs.args(KAFKA, n);
        args.addAll(KafkaTestJobs.detectionArgs(settings));
        KafkaJobConfig config = KafkaTestJobs.config(args);
        StreamExecutionEnvironment env = KafkaTestJobs.env();
        config.applyTo(env);
        KafkaPipeline.define(env, config.kafka, config.detection);
        jobs.add(env.executeAsync("spec"));

        List<ObjectNode> expected =
                SpecReference.expectedAlerts(
                        produced.indicatorLines, produced.connectionLines, settings);
        assertThat(expected).as("the scenario has alerts").hasSizeGreaterThan(5);
        List<ConsumerRecord<byte[], byte[]>> alertRecords =
                readCommitted(n.alerts(), expected.size());
        List<ObjectNode> actual = KafkaTestJobs.alerts(alertRecords);
        AlertComparison.assertSameAlerts(actual, expected);
        assertThat(actual).as("one alert per group, no duplicates").hasSameSizeAs(expected);
        for (ConsumerRecord<byte[], byte[]> r : alertRecords) {
            assertThat(text(r.key()))
                    .as("record key = AlertId")
                    .isEqualTo(KafkaTestJobs.alerts(List.of(r)).get(0).get("AlertId").asText());
        }

        int deadLetters = sc.deadLetterCount();
        List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(n.deadLetters(), deadLetters);
        assertThat(dead).hasSize(deadLetters);
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            assertThat(header(d, KafkaDeadLetterSerializer.REASON)).isNotBlank();
            String where =
                    header(d, KafkaDeadLetterSerializer.TOPIC)
                            + "-"
                            + header(d, KafkaDeadLetterSerializer.PARTITION)
                            + "@"
                            + header(d, KafkaDeadLetterSerializer.OFFSET);
            assertThat(produced.byPosition).as("dead letter position %s", where).containsKey(where);
            if (header(d, KafkaDeadLetterSerializer.ROW) == null) {
                assertThat(text(d.value()))
                        .as("the record, unchanged")
                        .isEqualTo(produced.byPosition.get(where));
            }
        }
    }

    @Test
    void malformedRecordGoesToTheDeadLetterTopicAndTheJobKeepsGoingWithQuietPartitionsAndFeed()
            throws Exception {
        // One partition per topic at parallelism 2: one reader of each source has nothing to
        // read, and the indicator feed falls silent after one row. Idleness keeps alerts coming.
        KafkaTestJobs.Names n = KafkaTestJobs.Names.unique("dead-letter");
        KAFKA.createTopics(
                n.indicators(), 1, n.connections(), 1, n.alerts(), 1, n.deadLetters(), 1);
        try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
            send(
                    p,
                    n.indicators(),
                    null,
                    "ioc-1",
                    KafkaTestJobs.indicator(
                            "ioc-1",
                            "203.0.113.7",
                            "2026-11-27T10:00:00Z",
                            "2027-01-01T00:00:00Z"));
            send(
                    p,
                    n.connections(),
                    null,
                    "vm1",
                    KafkaTestJobs.connection(
                            "2026-11-27T10:05:00Z", "vm1.contoso.com", "203.0.113.7"));
        }

        List<String> args =
                KafkaTestJobs.args(
                        KAFKA,
                        n,
                        "--emit",
                        "first",
                        "--out-of-orderness",
                        "1m",
                        "--idleness",
                        "3s",
                        "--delivery",
                        "at-least-once",
                        "--dead-letter-format",
                        "raw");
        KafkaJobConfig config = KafkaTestJobs.config(args);
        StreamExecutionEnvironment env = KafkaTestJobs.env();
        config.applyTo(env);
        KafkaPipeline.define(env, config.kafka, config.detection);
        jobs.add(env.executeAsync("dead letter"));

        RecordMetadata bad;
        try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
            bad =
                    send(
                            p,
                            n.connections(),
                            null,
                            null,
                            "{\"TimeGenerated\": \"2026-11-27T10:06:00Z\", \"Comp");
            send(
                    p,
                    n.connections(),
                    null,
                    "vm2",
                    KafkaTestJobs.connection(
                            "2026-11-27T11:05:00.1234567Z", "vm2.contoso.com", "203.0.113.7"));
            send(
                    p,
                    n.connections(),
                    null,
                    "vm3",
                    KafkaTestJobs.connection(
                            "2026-11-27T11:10:00Z", "vm3.contoso.com", "198.51.100.1"));
        }

        List<ObjectNode> alerts = KafkaTestJobs.alerts(readCommitted(n.alerts(), 2));
        assertThat(alerts)
                .extracting(a -> a.get("Computer").asText())
                .containsExactlyInAnyOrder("vm1.contoso.com", "vm2.contoso.com");
        assertThat(alerts)
                .extracting(a -> a.get("VMConnection_TimeGenerated").asText())
                .contains("2026-11-27T11:05:00.1234567Z");

        List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(n.deadLetters(), 1);
        assertThat(dead).hasSize(1);
        ConsumerRecord<byte[], byte[]> d = dead.get(0);
        assertThat(text(d.value()))
                .isEqualTo("{\"TimeGenerated\": \"2026-11-27T10:06:00Z\", \"Comp");
        assertThat(header(d, KafkaDeadLetterSerializer.TOPIC)).isEqualTo(n.connections());
        assertThat(header(d, KafkaDeadLetterSerializer.PARTITION))
                .isEqualTo(Integer.toString(bad.partition()));
        assertThat(header(d, KafkaDeadLetterSerializer.OFFSET))
                .isEqualTo(Long.toString(bad.offset()));
        assertThat(header(d, KafkaDeadLetterSerializer.INPUT)).isEqualTo("connections");
        assertThat(header(d, KafkaDeadLetterSerializer.REASON)).startsWith("not JSON");
        assertThat(text(d.key()))
                .isEqualTo(n.connections() + "-" + bad.partition() + "@" + bad.offset());
    }

    @Test
    void exactlyOnceAcrossAFailureAndARestartFromACheckpoint() throws Exception {
        KafkaTestJobs.Names n = KafkaTestJobs.Names.unique("exactly-once");
        KAFKA.createTopics(
                n.indicators(), 2, n.connections(), 2, n.alerts(), 2, n.deadLetters(), 1);
        Scenario sc = sorted(ScenarioGenerator.generate(33, 300, false));
        SpecReference.Settings settings = sc.settings().withEmitMode("first");
        List<String> conns = sc.connectionLines();
        int half = conns.size() / 2;

        // First half of the connections, with the indicators' watermark moved up to them.
        Produced produced = new Produced();
        Instant middle = KafkaTestJobs.latestTime(conns.subList(0, half));
        produced.indicators(n, sc.indicatorLines());
        produced.indicatorClocks(n, middle);
        produced.connections(n, conns.subList(0, half));

        FailOnce.reset();
        List<String> args = KafkaTestJobs.args(KAFKA, n);
        args.addAll(KafkaTestJobs.detectionArgs(settings));
        KafkaJobConfig config = KafkaTestJobs.config(args);
        StreamExecutionEnvironment env = KafkaTestJobs.env();
        config.applyTo(env);
        DetectionWorkflow.Outputs out =
                DetectionWorkflow.define(
                        KafkaPipeline.indicators(env, config.kafka, config.detection),
                        KafkaPipeline.connections(env, config.kafka, config.detection),
                        config.detection);
        DataStream<Alert> alerts =
                out.alerts
                        .map(new FailOnce(), TypeInformation.of(Alert.class))
                        .name("Fail once")
                        .uid("test-fail-once");
        KafkaPipeline.sinkAlerts(alerts, config.kafka);
        KafkaPipeline.sinkDeadLetters(out.deadLetters, config.kafka);
        jobs.add(env.executeAsync("exactly once"));

        // Some alerts committed, then a failure in the middle of the next ones.
        try (KafkaConsumer<byte[], byte[]> c = KAFKA.readCommitted(n.alerts())) {
            List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
            KafkaBrokerExtension.pollUntil(c, seen, r -> !r.isEmpty(), Duration.ZERO, TIMEOUT);
        }
        FailOnce.ARMED.set(true);
        produced.connections(n, conns.subList(half, conns.size()));
        produced.clocks(n, KafkaTestJobs.latestTime(produced.allLines()).plus(Duration.ofDays(2)));

        List<ObjectNode> expected =
                SpecReference.expectedAlerts(
                        produced.indicatorLines, produced.connectionLines, settings);
        List<ObjectNode> actual = KafkaTestJobs.alerts(readCommitted(n.alerts(), expected.size()));
        assertThat(FailOnce.FAILURES.get()).as("the job failed once and recovered").isEqualTo(1);
        assertThat(actual.stream().map(a -> a.get("AlertId").asText()).distinct().count())
                .as("no duplicate")
                .isEqualTo(actual.size());
        AlertComparison.assertSameAlerts(actual, expected);
        assertThat(actual).hasSameSizeAs(expected);
    }

    @Test
    void aRestoredJobContinuesBothTopicsFromTheCheckpointNotFromTheStartSetting() throws Exception {
        KafkaTestJobs.Names n = KafkaTestJobs.Names.unique("restore");
        KAFKA.createTopics(
                n.indicators(), 1, n.connections(), 2, n.alerts(), 2, n.deadLetters(), 1);
        String checkpoints = dir.resolve("checkpoints").toUri().toString();
        try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
            send(
                    p,
                    n.indicators(),
                    0,
                    "ioc-a",
                    KafkaTestJobs.indicator(
                            "ioc-a",
                            "203.0.113.10",
                            "2026-11-27T09:00:00Z",
                            "2027-01-01T00:00:00Z"));
            send(
                    p,
                    n.indicators(),
                    0,
                    "ioc-b",
                    KafkaTestJobs.indicator(
                            "ioc-b",
                            "203.0.113.11",
                            "2026-11-27T09:00:00Z",
                            "2027-01-01T00:00:00Z"));
            for (int part = 0; part < 2; part++) {
                send(
                        p,
                        n.connections(),
                        part,
                        "a",
                        KafkaTestJobs.connection(
                                "2026-11-27T10:0" + part + ":00Z",
                                "a" + part + ".contoso.com",
                                "203.0.113.10"));
                send(
                        p,
                        n.connections(),
                        part,
                        "a",
                        KafkaTestJobs.connection(
                                "2026-11-27T10:30:00Z", "pad.contoso.com", "198.51.100.1"));
            }
        }
        List<String> common =
                List.of(
                        "--emit",
                        "first",
                        "--out-of-orderness",
                        "1m",
                        "--idleness",
                        "3s",
                        "--checkpoint-dir",
                        checkpoints);

        // Job A: alert for ioc-a; then cancelled, its last checkpoint retained.
        KafkaJobConfig a = KafkaTestJobs.config(with(KafkaTestJobs.args(KAFKA, n), common));
        StreamExecutionEnvironment envA = KafkaTestJobs.env();
        a.applyTo(envA);
        KafkaPipeline.define(envA, a.kafka, a.detection);
        JobClient jobA = envA.executeAsync("restore A");
        jobs.add(jobA);
        readCommitted(n.alerts(), 1);
        Thread.sleep(1500); // a few more checkpoints, all rows behind them
        jobA.cancel().get(30, TimeUnit.SECONDS);
        awaitTerminal(jobA);
        Path checkpoint = latestCheckpoint(dir.resolve("checkpoints"));

        // While no job runs: traffic to ioc-b, in both partitions.
        try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
            for (int part = 0; part < 2; part++) {
                send(
                        p,
                        n.connections(),
                        part,
                        "b",
                        KafkaTestJobs.connection(
                                "2026-11-27T11:0" + part + ":00Z",
                                "b" + part + ".contoso.com",
                                "203.0.113.11"));
                send(
                        p,
                        n.connections(),
                        part,
                        "b",
                        KafkaTestJobs.connection(
                                "2026-11-27T11:30:00Z", "pad.contoso.com", "198.51.100.1"));
            }
        }

        // Job B: a new group with no committed offsets, told to start at the latest offset;
        // restored,
        // it must still read the rows produced while no job ran, and not repeat job A's alert.
        List<String> argsB = with(KafkaTestJobs.args(KAFKA, n), common);
        argsB.addAll(
                List.of(
                        "--group-id",
                        n.prefix() + "-b",
                        "--connections-start",
                        "latest",
                        "--restore-from",
                        checkpoint.toString()));
        KafkaJobConfig b = KafkaTestJobs.config(argsB);
        StreamExecutionEnvironment envB = KafkaTestJobs.env();
        b.applyTo(envB);
        KafkaPipeline.define(envB, b.kafka, b.detection);
        jobs.add(envB.executeAsync("restore B"));

        List<ObjectNode> alerts = KafkaTestJobs.alerts(readCommitted(n.alerts(), 2));
        assertThat(alerts)
                .extracting(x -> x.get("IndicatorId").asText())
                .containsExactlyInAnyOrder("ioc-a", "ioc-b");
    }

    // ------------------------------------------------------------------------------------------

    /** Fails the job once: on the first alert after the test arms it. */
    static final class FailOnce implements MapFunction<Alert, Alert> {
        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicInteger FAILURES = new AtomicInteger();

        static void reset() {
            ARMED.set(false);
            FAILURES.set(0);
        }

        @Override
        public Alert map(Alert a) {
            if (ARMED.compareAndSet(true, false)) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("test: failing once, after " + a.alertId);
            }
            return a;
        }
    }

    /**
     * What a test produced: the lines of each input as the reference should see them, by position.
     */
    static final class Produced {
        final List<String> indicatorLines = new ArrayList<>();
        final List<String> connectionLines = new ArrayList<>();
        final Map<String, String> byPosition = new HashMap<>();
        private int clocks;

        /**
         * All indicator lines into partition 0 (keyed by IndicatorId): their order is the arrival
         * order.
         */
        void indicators(KafkaTestJobs.Names n, List<String> lines) throws Exception {
            try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
                for (String line : lines) {
                    record(
                            send(p, n.indicators(), 0, KafkaTestJobs.indicatorKey(line), line),
                            line);
                    indicatorLines.add(line);
                }
            }
        }

        /**
         * Connection lines round-robin over both partitions (each keeps its order: nothing becomes
         * late).
         */
        void connections(KafkaTestJobs.Names n, List<String> lines) throws Exception {
            try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
                for (String line : lines) {
                    int partition = connectionLines.size() % 2;
                    record(send(p, n.connections(), partition, null, line), line);
                    connectionLines.add(line);
                }
            }
        }

        /** A clock row at {@code t} into each partition of the indicator topic. */
        void indicatorClocks(KafkaTestJobs.Names n, Instant t) throws Exception {
            try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
                for (int part = 0; part < 2; part++) {
                    String line = KafkaTestJobs.indicatorClock(t, ++clocks);
                    record(send(p, n.indicators(), part, "clock-" + clocks, line), line);
                    indicatorLines.add(line);
                }
            }
        }

        /** A clock row at {@code t} into each partition of both topics: every window closes. */
        void clocks(KafkaTestJobs.Names n, Instant t) throws Exception {
            indicatorClocks(n, t);
            try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
                for (int part = 0; part < 2; part++) {
                    String line = KafkaTestJobs.connectionClock(t);
                    record(send(p, n.connections(), part, null, line), line);
                    connectionLines.add(line);
                }
            }
        }

        List<String> allLines() {
            List<String> all = new ArrayList<>(indicatorLines);
            all.addAll(connectionLines);
            return all;
        }

        private void record(RecordMetadata m, String line) {
            byPosition.put(m.topic() + "-" + m.partition() + "@" + m.offset(), line);
        }
    }

    private static Produced produceWithClocks(
            KafkaTestJobs.Names n, List<String> indicators, List<String> connections)
            throws Exception {
        Produced p = new Produced();
        p.indicators(n, indicators);
        p.connections(n, connections);
        List<String> all = new ArrayList<>(indicators);
        all.addAll(connections);
        p.clocks(n, KafkaTestJobs.latestTime(all).plus(Duration.ofDays(2)));
        return p;
    }

    /** The scenario with both inputs in event-time order, so that every row is within the bound. */
    /** The scenario one element per line, in time order: every row on time when streamed. */
    private static Scenario sorted(Scenario s) {
        List<String> ind =
                ScenarioLines.sortedByTime(ScenarioLines.oneElementPerLine(s.indicatorLines()));
        List<String> conn =
                ScenarioLines.sortedByTime(ScenarioLines.oneElementPerLine(s.connectionLines()));
        SpecReference.Result r = SpecReference.analyse(ind, conn, s.settings());
        return new Scenario(
                s.seed(),
                ind,
                conn,
                s.settings(),
                r.indicatorDeadLetters(),
                r.connectionDeadLetters());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int atLeast) {
        try (KafkaConsumer<byte[], byte[]> c = KAFKA.readCommitted(topic)) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            // After the expected count, keep reading through a few more checkpoints: a duplicate or
            // an
            // extra alert would show up there.
            KafkaBrokerExtension.pollUntil(
                    c, records, r -> r.size() >= atLeast, Duration.ofSeconds(2), TIMEOUT);
            return records;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<String> with(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void awaitTerminal(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JobStatus s = job.getJobStatus().get(10, TimeUnit.SECONDS);
            if (s.isGloballyTerminalState()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    /**
     * The retained checkpoint with the highest number under {@code root}
     * (root/JOB_ID/chk-N/_metadata).
     */
    private static Path latestCheckpoint(Path root) throws IOException {
        Set<Path> found = new HashSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .forEach(p -> found.add(p.getParent()));
        }
        return found.stream()
                .max(
                        Comparator.comparingLong(
                                p -> Long.parseLong(p.getFileName().toString().substring(4))))
                .orElseThrow(() -> new AssertionError("no retained checkpoint under " + root));
    }
}
