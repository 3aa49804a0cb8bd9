package io.tiflink.vmconn.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.cluster.LocalFlinkCluster;
import io.tiflink.vmconn.config.Durations;
import io.tiflink.vmconn.reference.SpecReference;
import io.tiflink.vmconn.workflow.AlertComparison;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the reliability tests share: where the built jars are, the long variants' switch, the job's
 * command line, the alert verdict (expected, got, lost, duplicated) and the figures each case
 * reports, printed and written to {@code target/reliability/CASE.md} for docs/reliability.md.
 */
final class Reliability {

    /** {@code -Dreliability.long=true} (the {@code reliability} profile): the long variants. */
    static final boolean LONG = Boolean.getBoolean("reliability.long");

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Reliability() {}

    static Path project() {
        return Path.of("").toAbsolutePath();
    }

    /** The job jar `mvn package` built (failsafe passes its name). */
    static Path jobJar() {
        return project()
                .resolve("target")
                .resolve(System.getProperty("job.jar.name", "ti-ip-vmconnection-1.1.0.jar"));
    }

    /**
     * A cluster in a work directory of its own, with hard links to the cluster's jars (a concurrent
     * clean cannot take them away).
     */
    static LocalFlinkCluster cluster(Path work) throws IOException {
        Path lib = project().resolve("target/flink-cluster/lib");
        if (!Files.exists(jobJar()) || !Files.isDirectory(lib)) {
            throw new IllegalStateException(
                    "this test needs "
                            + jobJar()
                            + " and the cluster's jars in "
                            + lib
                            + ", which `mvn package` builds: run it through `mvn verify`, or `mvn"
                            + " -DskipTests package` first");
        }
        Path to = work.resolve("lib");
        Files.createDirectories(to);
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Path target = to.resolve(jar.getFileName());
                try {
                    Files.createLink(target, jar);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(jar, target);
                }
            }
        }
        return new LocalFlinkCluster(project(), work, to);
    }

    /**
     * Overrides for a test cluster: checkpoints as often as the job asks, a lost TaskManager
     * noticed within seconds, metrics on free ports.
     */
    static Map<String, String> clusterOverrides() throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("execution.checkpointing.min-pause", "500ms");
        o.put("heartbeat.interval", "2s");
        o.put("heartbeat.timeout", "20s");
        Set<Integer> ports = new java.util.TreeSet<>();
        while (ports.size() < 8) {
            ports.add(LocalFlinkCluster.freePort());
        }
        o.put(
                "metrics.reporter.prom.port",
                ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
        return o;
    }

    /**
     * The job's command line for these topics and settings: exactly-once, a checkpoint every 2 s,
     * connections from the earliest offset, idleness off (watermarks from the data alone) unless
     * {@code more} says otherwise (later arguments win).
     */
    static List<String> jobArgs(Feed f, SpecReference.Settings s, String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers", f.bootstrapServers(),
                                "--indicators-topic", f.indicators(),
                                "--connections-topic", f.connections(),
                                "--alerts-topic", f.alerts(),
                                "--dead-letters-topic", f.deadLetters(),
                                "--group-id", f.group(),
                                "--transactional-id-prefix", f.group(),
                                "--connections-start", "earliest",
                                "--checkpoint-interval", "2s",
                                "--idleness", "0",
                                "--emit", s.emitMode(),
                                "--window", Durations.format(s.window()),
                                "--lookback", Durations.format(s.lookback()),
                                "--indicator-lookback", Durations.format(s.indicatorLookback()),
                                "--out-of-orderness", Durations.format(s.outOfOrderness())));
        if (!s.extraExcludedCidrs().isEmpty()) {
            a.addAll(List.of("--exclude", String.join(",", s.extraExcludedCidrs())));
        }
        a.addAll(List.of(more));
        return a;
    }

    /**
     * Submits the job for the feed's topics and these settings ({@link #jobArgs}) at parallelism 2.
     */
    static String submit(
            LocalFlinkCluster cluster, Feed feed, SpecReference.Settings s, String... more)
            throws IOException, InterruptedException {
        return cluster.submit(jobJar(), 2, null, jobArgs(feed, s, more));
    }

    /**
     * Until the job has consumed and checkpointed every line of the feed (at most {@code timeout}),
     * then until it has completed two checkpoints more (at most a minute): what it committed is
     * final.
     */
    static void awaitInputCheckpointed(
            LocalFlinkCluster cluster, Feed feed, String jobId, Duration timeout) throws Exception {
        cluster.await(
                "the input consumed and checkpointed",
                timeout,
                jobId,
                feed::consumedAndCheckpointed);
        long after = cluster.completedCheckpoints(jobId);
        cluster.await(
                "two more checkpoints",
                Duration.ofMinutes(1),
                jobId,
                () -> cluster.completedCheckpoints(jobId) >= after + 2);
    }

    /**
     * The settings with an out-of-orderness bound that covers every row of the inputs (in the order
     * written), at least 5 minutes: nothing is late, so the alerts depend on the data alone and not
     * on which partition a row went to or how far one input ran ahead (SPEC 4.4 promises exactly
     * the reference's alerts for rows within the bound).
     */
    static SpecReference.Settings coveringBound(
            SpecReference.Settings s, List<String> indicators, List<String> connections) {
        long worst = Math.max(lateness(indicators), lateness(connections));
        Duration bound = Duration.ofMinutes(Math.max(5, Duration.ofNanos(worst).toMinutes() + 1));
        org.assertj.core.api.Assertions.assertThat(bound)
                .as("the input's rows are at most hours out of order")
                .isLessThan(Duration.ofHours(12));
        return s.withOutOfOrderness(bound);
    }

    /** How far behind the greatest time before it any element of the lines is, nanoseconds. */
    private static long lateness(List<String> lines) {
        long max = Long.MIN_VALUE;
        long worst = 0;
        for (String line : lines) {
            JsonNode n;
            try {
                n = MAPPER.readTree(line);
            } catch (IOException e) {
                continue;
            }
            if (n == null || !n.isObject()) {
                continue;
            }
            List<JsonNode> rows = new ArrayList<>();
            for (String holder : new String[] {"records", "objects"}) {
                if (n.path(holder).isArray()) {
                    n.get(holder).forEach(rows::add);
                }
            }
            if (rows.isEmpty()) {
                rows.add(n);
            }
            for (JsonNode r : rows) {
                String t =
                        r.hasNonNull("TimeGenerated")
                                ? r.path("TimeGenerated").asText()
                                : r.hasNonNull("modified")
                                        ? r.path("modified").asText()
                                        : r.path("created").asText(null);
                long tt = io.tiflink.vmconn.model.EventTimes.parseNanos(t);
                if (tt == io.tiflink.vmconn.model.EventTimes.UNREADABLE
                        || tt == Long.MAX_VALUE
                        || tt == Long.MIN_VALUE + 1) {
                    continue;
                }
                if (max != Long.MIN_VALUE) {
                    worst = Math.max(worst, max - tt);
                }
                max = Math.max(max, tt);
            }
        }
        return worst;
    }

    // ---------------------------------------------------------------- the verdict

    /** What a read_committed consumer got, against the reference. */
    record Verdict(int expected, int got, int distinct, List<String> lost, List<String> twice) {
        int duplicated() {
            return got - distinct;
        }

        String summary() {
            return expected
                    + " / "
                    + got
                    + ", lost "
                    + lost.size()
                    + ", duplicated "
                    + duplicated();
        }
    }

    /**
     * Compares the committed alert records with the reference: every expected AlertId once, no
     * other, every field equal (AlertComparison). Returns the counts; fails with the differences.
     */
    static Verdict verdict(List<ConsumerRecord<String, String>> records, List<ObjectNode> expected)
            throws IOException {
        List<ObjectNode> alerts = new ArrayList<>();
        Map<String, Integer> seen = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            ObjectNode a = (ObjectNode) MAPPER.readTree(r.value());
            alerts.add(a);
            seen.merge(a.path("AlertId").asText(), 1, Integer::sum);
        }
        Set<String> want = new HashSet<>();
        expected.forEach(a -> want.add(a.get("AlertId").asText()));
        List<String> lost = want.stream().filter(id -> !seen.containsKey(id)).sorted().toList();
        List<String> twice =
                seen.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(e -> e.getKey() + " x" + e.getValue())
                        .toList();
        Verdict v = new Verdict(expected.size(), records.size(), seen.size(), lost, twice);
        org.assertj.core.api.Assertions.assertThat(twice)
                .as("alerts written twice (read_committed): " + v.summary())
                .isEmpty();
        org.assertj.core.api.Assertions.assertThat(lost)
                .as("alerts the reference gives that no committed record holds: " + v.summary())
                .isEmpty();
        AlertComparison.assertSameAlerts(alerts, expected);
        return v;
    }

    /**
     * The {@linkplain #verdict verdict} on the feed's committed alerts, read until every expected
     * one is there (at most 2 minutes).
     */
    static Verdict verdict(Feed feed, List<ObjectNode> expected) throws IOException {
        return verdict(feed.readAlerts(expected, Duration.ofMinutes(2)), expected);
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    // ---------------------------------------------------------------- figures

    /**
     * The figures of one case, in order; {@link #write} prints them and keeps them for the docs.
     */
    static final class Figures {
        private final String name;
        private final long startNanos = System.nanoTime();
        private final Map<String, String> figures = new LinkedHashMap<>();

        Figures(String name) {
            this.name = name;
        }

        Figures put(String key, Object value) {
            figures.put(key, String.valueOf(value));
            step(key + ": " + value);
            return this;
        }

        void step(String message) {
            System.out.printf(
                    "[%s %6.1f s] %s%n", name, (System.nanoTime() - startNanos) / 1e9, message);
        }

        String elapsed() {
            return seconds(startNanos);
        }

        /** Prints the figures and writes them to target/reliability/NAME.md. */
        void write() {
            figures.put("test time", elapsed() + " s");
            StringBuilder sb =
                    new StringBuilder("### ")
                            .append(name)
                            .append(" (")
                            .append(LocalDate.now())
                            .append(LONG ? ", long" : "")
                            .append(")\n\n");
            figures.forEach(
                    (k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
            System.out.println(sb);
            try {
                Path dir = project().resolve("target/reliability");
                Files.createDirectories(dir);
                Files.writeString(
                        dir.resolve(name + (LONG ? "-long" : "") + ".md"),
                        sb.toString(),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                System.out.println("(cannot write the figures: " + e + ")");
            }
        }
    }

    // ---------------------------------------------------------------- the end of a case

    /** The job's last failure, for messages; "-" when no job was submitted. */
    static String lastFailure(LocalFlinkCluster cluster, String jobId) {
        return jobId == null ? "-" : cluster.lastFailure(jobId);
    }

    /**
     * What a failed case prints first: its job's last failure and the tails of the cluster's logs.
     */
    static String failureReport(String test, LocalFlinkCluster cluster, String jobId) {
        return test + " failed; job: " + lastFailure(cluster, jobId) + "\n" + cluster.logTails(40);
    }

    /**
     * The end of a case on a broker and a cluster of its own: its figures written, the cluster and
     * the broker stopped, and the work directory deleted if the case passed, else kept (printed as
     * "{@code kept} kept in WORK").
     */
    static void finish(
            Figures fig,
            LocalFlinkCluster cluster,
            BrokerProcess broker,
            Path work,
            boolean passed,
            String kept) {
        fig.write();
        cluster.close();
        broker.close();
        if (passed) {
            deleteRecursively(work);
        } else {
            System.out.println(kept + " kept in " + work);
        }
    }

    // ---------------------------------------------------------------- numbers

    static String seconds(long sinceNanos) {
        return String.format("%.1f", (System.nanoTime() - sinceNanos) / 1e9);
    }

    static String seconds(Duration d) {
        return String.format("%.1f", d.toNanos() / 1e9);
    }

    /** Percentile q (0..1) of a list of durations, in seconds. */
    static String percentile(List<Duration> values, double q) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Duration> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return seconds(
                sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))));
    }

    /** The median and the greatest of the durations, in seconds: "p50 / max". */
    static String medianAndMax(List<Duration> values) {
        return percentile(values, 0.5) + " / " + percentile(values, 1.0);
    }

    static Instant max(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
