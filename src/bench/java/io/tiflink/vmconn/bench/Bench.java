package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.model.InputRecord;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The benchmark ({@code ./bench.sh}): generates its rows, then in one process measures the whole
 * detection workflow, its ceilings (parse-only pipeline, plain parse loop), its Flink SQL peer,
 * scaling with the indicator set (throughput, heap per indicator, checkpoint size and time), alert
 * latency in {@code first} mode at half load, and the workflow through a local Kafka broker. Prints
 * the table and writes target/bench/results.json, results.md and throughput-vs-indicators.svg.
 */
public final class Bench {

    static final List<String> PARTS =
            List.of(
                    "plain", "parse", "job", "sql", "rocksdb", "scale", "ranges", "heap", "latency",
                    "kafka");

    private Bench() {}

    public static void main(String[] args) throws Exception {
        int rc;
        try {
            run(args, System.out);
            rc = 0;
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            rc = 2;
        }
        System.exit(rc);
    }

    static BenchOptions options() {
        return Soak.declare(defaultOptions());
    }

    /** The options of the default run. */
    private static BenchOptions defaultOptions() {
        return new BenchOptions()
                .declare(
                        "connections",
                        "600000",
                        "connection rows per throughput run (~700 bytes, ~44 columns each)")
                .declare(
                        "indicators",
                        "10000",
                        "live indicators in the throughput, SQL, latency and Kafka runs")
                .declare(
                        "scale",
                        "10000,100000,1000000",
                        "indicator-set sizes of the scaling runs and heap measurements")
                .declare("parallelism", "1,2", "parallelisms of the job and parse-only runs")
                .declare(
                        "event-rate",
                        "1000",
                        "connection rows per second of event time (the fleet's rate: it sets "
                                + "how many connections the matcher keeps for L and how often it sweeps the indicators)")
                .declare(
                        "hit-rate",
                        "0.001",
                        "share of connection rows whose RemoteIp is an indicator")
                .declare("hosts", "200", "VMs in the generated fleet")
                .declare(
                        "warmup",
                        "0.2",
                        "share of each run's rows that runs before the timed part (and before its checkpoint)")
                .declare(
                        "jvm-warmup-rows",
                        "300000",
                        "rows of the unreported warm-up runs (JIT) at the start (0 = none)")
                .declare(
                        "plain-seconds",
                        "3",
                        "timed duration of the plain parse loop (after 2/3 of it as warm-up)")
                .declare(
                        "heap-connections",
                        "200000",
                        "connections for the heap-per-buffered-connection measurement")
                .declare("latency-seconds", "30", "duration of the latency run")
                .declare(
                        "latency-rate",
                        "0",
                        "rows per second of the latency run (0 = half the measured job_eps_p1)")
                .declare("latency-parallelism", "1", "parallelism of the latency run")
                .declare(
                        "latency-out-of-orderness",
                        "50ms",
                        "out-of-orderness bound of the latency run")
                .declare(
                        "latency-watermark-interval",
                        "20ms",
                        "auto-watermark interval of the latency run")
                .declare(
                        "latency-runs",
                        "100ms:heap,10ms:heap,100ms:rocksdb",
                        "latency runs as BUFFER-TIMEOUT:STATE, one run "
                                + "each; the first gives the headline (100ms is Flink's default buffer timeout; heap state as the "
                                + "local commands, rocksdb as flink-conf/config.yaml)")
                .declare(
                        "rocksdb-connections",
                        "150000",
                        "connection rows of the job and SQL peer runs on RocksDB (the peer's "
                                + "temporal join slows down as its state grows there)")
                .declare("kafka-connections", "300000", "connection rows through Kafka")
                .declare(
                        "kafka-parallelism",
                        "1",
                        "parallelism of the Kafka run (topics have 2 partitions)")
                .declare(
                        "skip",
                        "",
                        "parts to leave out, comma-separated: " + String.join(",", PARTS))
                .declare(
                        "repeat",
                        "1",
                        "runs of each throughput measurement (job, parse-only, SQL peer, scaling); the "
                                + "median is reported (3 or 5 on a machine shared with other work)")
                .declare("seed", "42", "seed of the generated rows")
                .declare(
                        "out",
                        "target/bench",
                        "where to write results.json, results.md and the SVG chart")
                .declare("help", null, "this text");
    }

    /** Runs the benchmark; returns the results written to results.json. */
    static Map<String, Object> run(String[] args, PrintStream log) throws Exception {
        BenchOptions o = options().parse(args);
        if (o.has("help")) {
            log.println(
                    o.help(
                            "usage: ./bench.sh [options]   (sizes: more rows, more indicators, larger scale list)\n"
                                    + "       ./bench.sh --soak [--soak-... options]   (the soak benchmark only)"));
            return null;
        }
        started = System.nanoTime();
        if (o.has("soak")) {
            return Soak.run(o, log);
        }
        Set<String> skip = new TreeSet<>(o.getList("skip"));
        for (String s : skip) {
            if (!PARTS.contains(s)) {
                throw new IllegalArgumentException("--skip takes " + PARTS + ", not '" + s + "'");
            }
        }
        int[] parallelisms =
                o.getList("parallelism").stream().mapToInt(Integer::parseInt).toArray();
        long[] scale = o.getList("scale").stream().mapToLong(Long::parseLong).toArray();
        int indicators = o.getInt("indicators");
        int lcm = Arrays.stream(parallelisms).reduce(1, (a, b) -> a * b / gcd(a, b));
        int rowsAsked = o.getInt("connections");
        final int rows = rowsAsked - rowsAsked % Math.max(2, lcm);
        double eventRate = Double.parseDouble(o.get("event-rate"));
        double hitRate = Double.parseDouble(o.get("hit-rate"));
        double warmup = Double.parseDouble(o.get("warmup"));
        int repeat = Math.max(1, o.getInt("repeat"));
        Path out = Paths.get(o.get("out"));
        Files.createDirectories(out);
        Path checkpoints = Files.createTempDirectory(out.toAbsolutePath(), "checkpoints-");

        DetectionSettings settings = DetectionSettings.defaults().withIdleness(Duration.ZERO);
        Report report = new Report();
        long startedAll = System.nanoTime();
        int listed = (int) Math.min(indicators, Arrays.stream(scale).min().orElse(indicators));

        log.printf(
                t()
                        + "bench: %d cores, max heap %s, Java %s; generating %,d connection rows (hit rate %s, %s rows per "
                        + "event-time second)...%n",
                Runtime.getRuntime().availableProcessors(),
                Report.bytes(Runtime.getRuntime().maxMemory()),
                System.getProperty("java.version"),
                rows,
                o.get("hit-rate"),
                o.get("event-rate"));
        long t = System.nanoTime();
        BenchData data =
                BenchData.generate(
                        rows,
                        listed,
                        hitRate,
                        o.getInt("hosts"),
                        eventRate,
                        Long.parseLong(o.get("seed")));
        log.printf(
                t()
                        + "bench: %,d rows, %d columns, %.0f bytes on average, %,d hits (%.3f%%), in %.1f s%n",
                data.size(),
                data.columns(),
                data.meanRowBytes(),
                data.hits,
                100.0 * data.hits / data.size(),
                (System.nanoTime() - t) / 1e9);
        report.put("connection_rows", rows);
        report.put("row_bytes_mean", Math.round(data.meanRowBytes()));
        report.put("row_columns", data.columns());
        report.put("hits", data.hits);
        report.put("indicators", indicators);
        report.put("event_rate", eventRate);
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        report.notes.add(
                String.format(
                        Locale.ROOT,
                        "Rows: %,d VMConnection rows from the demo's ConnectionGenerator "
                                + "(%d columns, %.0f bytes on average, %,d hits = %.3f%%), %s rows per second of event time; "
                                + "indicators from IocList rows with unique public IPs. Every throughput run times the rows after "
                                + "a %.0f%% warm-up, from release to the end of input at the sinks.",
                        rows,
                        data.columns(),
                        data.meanRowBytes(),
                        data.hits,
                        100.0 * data.hits / rows,
                        o.get("event-rate"),
                        warmup * 100));

        try (BenchCluster cluster = new BenchCluster(checkpoints, log)) {
            // ------------------------------------------------------------ JVM warm-up (unreported)
            int warmRows = Math.min(o.getInt("jvm-warmup-rows"), rows);
            warmRows -= warmRows % 2;
            if (warmRows > 0) {
                log.printf(t() + "bench: warming up (%,d rows per job, unreported)...%n", warmRows);
                if (!skip.contains("job") || !skip.contains("scale")) {
                    detection(
                            cluster,
                            data,
                            warmRows,
                            Math.min(indicators, 1000),
                            1,
                            settings,
                            0.5,
                            false);
                }
                if (!skip.contains("parse")) {
                    parseOnly(cluster, data, warmRows, 1, settings, 0.5);
                }
                if (!skip.contains("sql")) {
                    sql(cluster, data, warmRows, Math.min(indicators, 1000), 1, settings, 0.5);
                }
            }

            // ------------------------------------------------------------ plain parse loop (after
            // the warm-up: JIT settled)
            if (!skip.contains("plain")) {
                double eps =
                        inFreshThread(
                                () ->
                                        plainParse(
                                                data,
                                                settings,
                                                Double.parseDouble(o.get("plain-seconds"))));
                report.put("plain_parse_eps", eps);
                report.row(
                        "Plain Java loop, RowParser only (no Flink)",
                        Report.eps(eps),
                        "one thread over the same bytes");
                log.printf(t() + "bench: plain parse: %s%n", Report.eps(eps));
            }

            // ------------------------------------------------------------ job and parse-only, p1
            // and p2
            Map<Integer, BenchCluster.Phased> jobs = new LinkedHashMap<>();
            for (int p : parallelisms) {
                if (!skip.contains("parse")) {
                    BenchCluster.Phased r =
                            median(
                                    repeat,
                                    () -> parseOnly(cluster, data, rows, p, settings, warmup));
                    report.put("parse_only_eps_p" + p, r.eps);
                    report.row(
                            "Parse-only pipeline, p" + p,
                            Report.eps(r.eps),
                            "same source and parsing, discarding sink" + cpuNote(r));
                    log.printf(t() + "bench: parse-only p%d: %s%n", p, Report.eps(r.eps));
                    putCpu(report, "parse_only_p" + p, r, log);
                }
                if (!skip.contains("job")) {
                    BenchCluster.Phased r =
                            median(
                                    repeat,
                                    () ->
                                            detection(
                                                    cluster,
                                                    data,
                                                    rows,
                                                    indicators,
                                                    p,
                                                    settings,
                                                    warmup,
                                                    true));
                    jobs.put(p, r);
                    report.put("job_eps_p" + p, r.eps);
                    report.put("job_alerts_p" + p, r.accumulators.get("alerts.emitted"));
                    report.put("job_matches_p" + p, r.accumulators.get("matches"));
                    putCheckpoint(report, "job_p" + p, r.checkpoint);
                    report.row(
                            "Whole job, p" + p + " (" + Report.human(indicators) + " indicators)",
                            Report.eps(r.eps),
                            "JSON bytes in -> alerts out; "
                                    + r.accumulators.get("alerts.emitted")
                                    + " alerts"
                                    + cpuNote(r));
                    log.printf(
                            t() + "bench: job p%d: %s, %s alerts, checkpoint %s in %.2f s%n",
                            p,
                            Report.eps(r.eps),
                            r.accumulators.get("alerts.emitted"),
                            Report.bytes(r.checkpoint.stateBytes),
                            r.checkpoint.seconds);
                    putCpu(report, "job_p" + p, r, log);
                }
            }
            double job1 = num(report.json.get("job_eps_p1"));
            double parse1 = num(report.json.get("parse_only_eps_p1"));
            double plain = num(report.json.get("plain_parse_eps"));
            report.put("job_over_parse_only_p1", job1 / parse1);
            report.put("job_over_plain_parse", job1 / plain);
            report.row(
                    "Job / parse-only pipeline, p1", Report.ratio(job1 / parse1), "goal >= 0.7x");
            report.row("Job / plain parse loop", Report.ratio(job1 / plain), "");
            if (report.json.containsKey("job_eps_p2")) {
                report.row(
                        "Job p2 / p1",
                        Report.ratio(num(report.json.get("job_eps_p2")) / job1),
                        "2 cores shared by all tasks");
            }

            // ------------------------------------------------------------ the SQL peer
            if (!skip.contains("sql")) {
                BenchCluster.Phased r =
                        median(
                                repeat,
                                () -> sql(cluster, data, rows, indicators, 1, settings, warmup));
                report.put("sql_peer_eps_p1", r.eps);
                report.put("sql_peer_alerts_p1", r.sinkRecords);
                putCheckpoint(report, "sql_peer_p1", r.checkpoint);
                report.put("job_over_sql_peer_p1", job1 / r.eps);
                Object jobAlerts =
                        jobs.containsKey(1) ? jobs.get(1).accumulators.get("alerts.emitted") : null;
                boolean same =
                        jobAlerts instanceof Number
                                && ((Number) jobAlerts).longValue() == r.sinkRecords;
                report.put("sql_peer_alerts_match_job", jobAlerts == null ? null : same);
                report.row(
                        "Flink SQL peer, p1",
                        Report.eps(r.eps),
                        r.sinkRecords
                                + " alerts"
                                + (jobAlerts == null
                                        ? ""
                                        : same ? " (= job)" : " (job: " + jobAlerts + ")")
                                + cpuNote(r));
                report.row("Job / SQL peer, p1", Report.ratio(job1 / r.eps), "goal >= 3x");
                report.row(
                        "SQL peer state (checkpoint)",
                        Report.bytes(r.checkpoint.stateBytes),
                        String.format(
                                Locale.ROOT,
                                "after the warm-up; job p1: %s",
                                jobs.containsKey(1)
                                        ? Report.bytes(jobs.get(1).checkpoint.stateBytes)
                                        : "n/a"));
                log.printf(
                        t() + "bench: SQL peer p1: %s, %d alerts, checkpoint %s%n",
                        Report.eps(r.eps),
                        r.sinkRecords,
                        Report.bytes(r.checkpoint.stateBytes));
                putCpu(report, "sql_peer_p1", r, log);
            }

            // ------------------------------------------------------------ keyed state in RocksDB
            // (the cluster's configuration)
            if (!skip.contains("rocksdb")) {
                int rocksRows = Math.min(rows, o.getInt("rocksdb-connections"));
                rocksRows -= rocksRows % 2;
                report.put("rocksdb_connection_rows", rocksRows);
                if (!skip.contains("job")) {
                    BenchCluster.Phased r =
                            detection(
                                    cluster,
                                    data,
                                    rocksRows,
                                    indicators,
                                    1,
                                    settings,
                                    warmup,
                                    true,
                                    true);
                    report.put("job_eps_p1_rocksdb", r.eps);
                    putCheckpoint(report, "job_p1_rocksdb", r.checkpoint);
                    report.row(
                            "Whole job, p1, keyed state in RocksDB",
                            Report.eps(r.eps),
                            String.format(
                                    Locale.ROOT,
                                    "as flink-conf/config.yaml; %,d rows; %s alerts; checkpoint %s (incremental)",
                                    rocksRows,
                                    r.accumulators.get("alerts.emitted"),
                                    Report.bytes(r.checkpoint.stateBytes)));
                    log.printf(
                            t() + "bench: job p1 RocksDB: %s, checkpoint %s in %.2f s%n",
                            Report.eps(r.eps),
                            Report.bytes(r.checkpoint.stateBytes),
                            r.checkpoint.seconds);
                    putCpu(report, "job_p1_rocksdb", r, log);
                }
                if (!skip.contains("sql")) {
                    BenchCluster.Phased r =
                            sql(cluster, data, rocksRows, indicators, 1, settings, warmup, true);
                    report.put("sql_peer_eps_p1_rocksdb", r.eps);
                    putCheckpoint(report, "sql_peer_p1_rocksdb", r.checkpoint);
                    report.row(
                            "Flink SQL peer, p1, RocksDB",
                            Report.eps(r.eps),
                            String.format(
                                    Locale.ROOT, "%,d rows; %d alerts", rocksRows, r.sinkRecords));
                    report.row(
                            "Job / SQL peer, p1, both RocksDB",
                            Report.ratio(num(report.json.get("job_eps_p1_rocksdb")) / r.eps),
                            "");
                    log.printf(t() + "bench: SQL peer p1 RocksDB: %s%n", Report.eps(r.eps));
                    putCpu(report, "sql_peer_p1_rocksdb", r, log);
                }
            }

            // ------------------------------------------------------------ scaling with the
            // indicator set
            if (!skip.contains("scale")) {
                double base = Double.NaN;
                long baseSize = 0;
                for (long n : scale) {
                    BenchCluster.Phased r =
                            median(
                                    repeat,
                                    () ->
                                            detection(
                                                    cluster, data, rows, (int) n, 1, settings,
                                                    warmup, true));
                    String k = sizeKey(n);
                    report.put("job_eps_p1_" + k, r.eps);
                    report.put("indicator_load_seconds_" + k, r.indicatorLoadSeconds);
                    report.put("job_alerts_p1_" + k, r.accumulators.get("alerts.emitted"));
                    putCheckpoint(report, k, r.checkpoint);
                    report.scaling.put(n, r.eps);
                    if (Double.isNaN(base)) {
                        base = r.eps;
                        baseSize = n;
                    }
                    report.row(
                            "Whole job p1, " + Report.human(n) + " indicators",
                            Report.eps(r.eps),
                            String.format(
                                            Locale.ROOT,
                                            "checkpoint %s in %.2f s; indicators loaded in %.1f s",
                                            Report.bytes(r.checkpoint.stateBytes),
                                            r.checkpoint.seconds,
                                            r.indicatorLoadSeconds)
                                    + cpuNote(r));
                    log.printf(
                            t() + "bench: scale %s: %s, checkpoint %s in %.2f s (load %.1f s)%n",
                            k,
                            Report.eps(r.eps),
                            Report.bytes(r.checkpoint.stateBytes),
                            r.checkpoint.seconds,
                            r.indicatorLoadSeconds);
                    putCpu(report, "job_p1_" + k, r, log);
                }
                long last = scale[scale.length - 1];
                double ratio = num(report.json.get("job_eps_p1_" + sizeKey(last))) / base;
                report.put("eps_largest_over_smallest", ratio);
                if (baseSize == 10_000 && last == 1_000_000) {
                    report.put("eps_1m_over_10k", ratio);
                }
                report.row(
                        "Throughput "
                                + Report.human(last)
                                + " / "
                                + Report.human(baseSize)
                                + " indicators",
                        Report.ratio(ratio),
                        "goal >= 0.9x");
            }

            // ------------------------------------------------------------ ranges (SPEC 6.4)
            if (!skip.contains("ranges")) {
                ranges(
                        cluster,
                        o,
                        rows,
                        indicators,
                        hitRate,
                        eventRate,
                        warmup,
                        repeat,
                        settings,
                        report,
                        log);
            }

            // ------------------------------------------------------------ latency, first mode,
            // half load
            if (!skip.contains("latency")) {
                double asked = Double.parseDouble(o.get("latency-rate"));
                double rocksJob1 = num(report.json.get("job_eps_p1_rocksdb"));
                boolean headline = true;
                for (String variant : o.getList("latency-runs")) {
                    String[] v = variant.split(":");
                    String state = v.length > 1 ? v[1].trim().toLowerCase(Locale.ROOT) : "heap";
                    if (!state.equals("heap") && !state.equals("rocksdb")) {
                        throw new IllegalArgumentException(
                                "--latency-runs: state is heap or rocksdb, not '" + state + "'");
                    }
                    // Half load of the backend the run uses: RocksDB's maximum is lower than the
                    // heap's.
                    double max =
                            state.equals("rocksdb") && !Double.isNaN(rocksJob1) ? rocksJob1 : job1;
                    double rate = asked > 0 ? asked : Double.isNaN(max) ? 10_000 : max / 2;
                    String load =
                            asked > 0
                                    ? "as asked"
                                    : state.equals("rocksdb") && !Double.isNaN(rocksJob1)
                                            ? "half of job p1 on RocksDB"
                                            : "half of job p1";
                    latency(
                            cluster,
                            data,
                            o,
                            indicators,
                            rate,
                            load,
                            v[0].trim(),
                            state,
                            headline,
                            report,
                            log);
                    headline = false;
                }
            }

            // ------------------------------------------------------------ through Kafka
            if (!skip.contains("kafka")) {
                int kRows = Math.min(o.getInt("kafka-connections"), rows);
                KafkaBench.Figures f =
                        KafkaBench.run(
                                cluster,
                                data,
                                kRows,
                                indicators,
                                o.getInt("kafka-parallelism"),
                                log);
                report.put("kafka_eps", f.eps);
                report.put("kafka_produce_eps", f.produceEps);
                report.put("kafka_alerts_in_topic", f.alertsInTopic);
                report.put("kafka_alerts_at_sink", f.alertsAtSink);
                report.row(
                        "Through Kafka, p" + f.parallelism,
                        Report.eps(f.eps),
                        String.format(
                                Locale.ROOT,
                                "%,d rows; broker on the same cores; exactly-once, checkpoints every %.0f s; %d alerts in "
                                        + "the topic (read_committed)",
                                f.rows,
                                f.checkpointIntervalSeconds,
                                f.alertsInTopic));
                report.row(
                        "Producing the rows to Kafka",
                        Report.eps(f.produceEps),
                        "before the job, acks=all");
                log.printf(
                        t() + "bench: kafka p%d: %s (%d alerts in the topic)%n",
                        f.parallelism,
                        Report.eps(f.eps),
                        f.alertsInTopic);
            }
        } finally {
            deleteRecursively(checkpoints);
        }

        // ---------------------------------------------------------------- heap per indicator, per
        // buffered connection
        if (!skip.contains("heap")) {
            for (long n : scale) {
                HeapFootprint.Figures f = HeapFootprint.indicators(data, (int) n, settings);
                String k = sizeKey(n);
                report.put("heap_bytes_per_indicator_" + k, f.bytesPerItem);
                report.row(
                        "Heap per indicator, broadcast state, " + Report.human(n),
                        String.format(Locale.ROOT, "%.0f B", f.bytesPerItem),
                        "matcher in the operator harness; used heap after GC / N; goal <= 150 B");
                report.json.put("heap_breakdown_indicator_" + k, f.breakdown);
                report.put("sweep_ms_" + k, f.sweepMillis);
                report.row(
                        "Sweep of the indicator state, " + Report.human(n),
                        String.format(Locale.ROOT, "%.1f ms", f.sweepMillis),
                        "IndicatorMatcher.sweepIfDue, once per max(1 min, 0.6 s per 1,000 indicators) of event time, every task");
                log.printf(
                        t() + "bench: heap %s indicators: %.0f bytes each, sweep %.1f ms; %s%n",
                        k,
                        f.bytesPerItem,
                        f.sweepMillis,
                        f.breakdown);
            }
            int m = Math.min(o.getInt("heap-connections"), rows);
            if (m > 0) {
                HeapFootprint.Figures f = HeapFootprint.bufferedConnections(data, m, settings);
                report.put("heap_bytes_per_buffered_connection", f.bytesPerItem);
                report.json.put("heap_breakdown_buffered_connection", f.breakdown);
                report.row(
                        "Heap per connection kept for L (keyed state + timers)",
                        String.format(Locale.ROOT, "%.0f B", f.bytesPerItem),
                        String.format(
                                Locale.ROOT,
                                "%,d connections; the job keeps every connection for L = 1h: "
                                        + "event rate x 3600 of them",
                                m));
                log.printf(
                        t() + "bench: heap per buffered connection: %.0f bytes; %s%n",
                        f.bytesPerItem,
                        f.breakdown);
            }
        }

        double total = (System.nanoTime() - startedAll) / 1e9;
        report.put("bench_seconds", total);
        report.notes.add(
                String.format(
                        Locale.ROOT,
                        "Measured on %d cores in %.0f s, everything in one JVM "
                                + "(one MiniCluster, one TaskManager with 2 slots, heap state backend). Noisy when other processes share "
                                + "the machine.",
                        Runtime.getRuntime().availableProcessors(),
                        total));
        report.write(out);
        log.println();
        log.print(report.text());
        log.printf(
                "%n" + t() + "bench: done in %.0f s; results in %s%n",
                total,
                out.resolve("results.json"));
        return report.json;
    }

    // -------------------------------------------------------------------- the parts

    /**
     * Runs {@code work} on a new thread, as a task thread is: the main thread's thread-local map is
     * crowded by then (the SQL planner, the clients), and Jackson looks up its buffer recycler
     * there for every record.
     */
    static double inFreshThread(java.util.function.DoubleSupplier work)
            throws InterruptedException {
        double[] out = {Double.NaN};
        RuntimeException[] failed = {null};
        Thread t =
                new Thread(
                        () -> {
                            try {
                                out[0] = work.getAsDouble();
                            } catch (RuntimeException e) {
                                failed[0] = e;
                            }
                        },
                        "bench-plain-parse");
        t.start();
        t.join();
        if (failed[0] != null) {
            throw failed[0];
        }
        return out[0];
    }

    /**
     * RowParser in a plain loop over the same bytes: warm-up passes, then timed passes for {@code
     * seconds} or more.
     */
    static double plainParse(BenchData data, DetectionSettings settings, double seconds) {
        long[] sink = {0};
        java.util.function.Consumer<InputRecord> out = r -> sink[0] += r.connection.timeGenerated;
        int n = data.size();
        long warmUntil = System.nanoTime() + (long) (seconds * 2 / 3 * 1e9);
        do {
            RowParser parser =
                    new RowParser(RowParser.Table.CONNECTIONS, settings.outOfOrdernessNanos());
            for (int i = 0; i < n && System.nanoTime() < warmUntil; i++) {
                parser.parse(data.connections[i], "bench-connections", 0, i, out);
            }
        } while (System.nanoTime() < warmUntil);
        long rows = 0;
        long t = System.nanoTime();
        do {
            RowParser parser =
                    new RowParser(RowParser.Table.CONNECTIONS, settings.outOfOrdernessNanos());
            for (int i = 0; i < n; i++) {
                parser.parse(data.connections[i], "bench-connections", 0, i, out);
            }
            rows += n;
        } while (System.nanoTime() - t < (long) (seconds * 1e9));
        double s = (System.nanoTime() - t) / 1e9;
        if (sink[0] == 42) {
            System.out.print(""); // keeps the parsed rows observable
        }
        return rows / s;
    }

    /**
     * Ranges against addresses: the job with {@code indicators} ranges of mixed prefix lengths and
     * with as many addresses, same connections, same alerts; and one indicator row's retro-match.
     */
    private static void ranges(
            BenchCluster cluster,
            BenchOptions o,
            int rows,
            int indicators,
            double hitRate,
            double eventRate,
            double warmup,
            int repeat,
            DetectionSettings settings,
            Report report,
            PrintStream log)
            throws Exception {
        BenchData data =
                RangeBench.data(
                        rows,
                        indicators,
                        hitRate,
                        o.getInt("hosts"),
                        eventRate,
                        Long.parseLong(o.get("seed")));
        // One unreported run of each first: the JIT has not seen range lookups yet.
        int warmRows = Math.min(rows, 100_000);
        warmRows -= warmRows % 2;
        RangeBench.throughput(
                cluster, data, warmRows, indicators, RangeBench::address, settings, 0.5);
        RangeBench.throughput(
                cluster, data, warmRows, indicators, RangeBench::range, settings, 0.5);
        BenchCluster.Phased addresses =
                median(
                        repeat,
                        () ->
                                RangeBench.throughput(
                                        cluster,
                                        data,
                                        rows,
                                        indicators,
                                        RangeBench::address,
                                        settings,
                                        warmup));
        BenchCluster.Phased ranges =
                median(
                        repeat,
                        () ->
                                RangeBench.throughput(
                                        cluster,
                                        data,
                                        rows,
                                        indicators,
                                        RangeBench::range,
                                        settings,
                                        warmup));
        double ratio = ranges.eps / addresses.eps;
        report.put("addresses_eps_p1", addresses.eps);
        report.put("ranges_eps_p1", ranges.eps);
        report.put("ranges_over_addresses_p1", ratio);
        report.put("ranges_alerts", ranges.accumulators.get("alerts.emitted"));
        report.put("addresses_alerts", addresses.accumulators.get("alerts.emitted"));
        report.row(
                "Whole job, p1, " + Report.human(indicators) + " addresses",
                Report.eps(addresses.eps),
                addresses.accumulators.get("alerts.emitted") + " alerts");
        report.row(
                "Whole job, p1, " + Report.human(indicators) + " ranges (/23 to /30)",
                Report.eps(ranges.eps),
                ranges.accumulators.get("alerts.emitted")
                        + " alerts; "
                        + Report.ratio(ratio)
                        + " of the addresses' rate, goal >= 0.9x");
        log.printf(
                t() + "bench: ranges p1: %s, addresses p1: %s (%.2fx)%n",
                Report.eps(ranges.eps),
                Report.eps(addresses.eps),
                ratio);
        int kept = Math.min(rows, o.getInt("heap-connections"));
        double rangeMicros =
                RangeBench.retroMatchMicrosPerRow(
                        data, kept, indicators, RangeBench::range, settings, log);
        double addressMicros =
                RangeBench.retroMatchMicrosPerRow(
                        data, kept, indicators, RangeBench::address, settings, log);
        report.put("range_retro_match_us_per_row", rangeMicros);
        report.put("address_retro_match_us_per_row", addressMicros);
        report.row(
                "Retro-match cost per indicator row, " + Report.human(kept) + " kept connections",
                String.format(
                        Locale.ROOT,
                        "%.1f us (range) / %.1f us (address)",
                        rangeMicros,
                        addressMicros),
                "the row's probes, its buckets' scan, its matches");
    }

    static BenchCluster.Phased detection(
            BenchCluster cluster,
            BenchData data,
            int rows,
            int indicators,
            int p,
            DetectionSettings settings,
            double warmup,
            boolean checkpoint)
            throws Exception {
        return detection(cluster, data, rows, indicators, p, settings, warmup, checkpoint, false);
    }

    static BenchCluster.Phased detection(
            BenchCluster cluster,
            BenchData data,
            int rows,
            int indicators,
            int p,
            DetectionSettings settings,
            double warmup,
            boolean checkpoint,
            boolean rocksDb)
            throws Exception {
        RunControl run =
                RunControl.create(
                        "job-p" + p, data, rows, indicators, BenchData.T0.minusSeconds(600), false);
        StreamExecutionEnvironment env = cluster.env(p);
        if (rocksDb) {
            BenchCluster.rocksDb(env);
        }
        BenchJobs.detection(env, run, settings, p, false);
        return cluster.runPhased(
                "bench job p" + p + " " + indicators + " indicators",
                env,
                run,
                p,
                warmup,
                checkpoint);
    }

    static BenchCluster.Phased parseOnly(
            BenchCluster cluster,
            BenchData data,
            int rows,
            int p,
            DetectionSettings settings,
            double warmup)
            throws Exception {
        RunControl run =
                RunControl.create(
                        "parse-p" + p, data, rows, 0, BenchData.T0.minusSeconds(600), false);
        StreamExecutionEnvironment env = cluster.env(p);
        BenchJobs.parseOnly(env, run, settings, p);
        return cluster.runPhased("bench parse-only p" + p, env, run, p, warmup, false);
    }

    static BenchCluster.Phased sql(
            BenchCluster cluster,
            BenchData data,
            int rows,
            int indicators,
            int p,
            DetectionSettings settings,
            double warmup)
            throws Exception {
        return sql(cluster, data, rows, indicators, p, settings, warmup, false);
    }

    static BenchCluster.Phased sql(
            BenchCluster cluster,
            BenchData data,
            int rows,
            int indicators,
            int p,
            DetectionSettings settings,
            double warmup,
            boolean rocksDb)
            throws Exception {
        RunControl run =
                RunControl.create(
                        "sql-p" + p, data, rows, indicators, BenchData.T0.minusSeconds(600), false);
        StreamExecutionEnvironment env = cluster.env(p);
        if (rocksDb) {
            BenchCluster.rocksDb(env);
        }
        SqlPeer.define(env, run, settings, p);
        return cluster.runPhased("bench SQL peer p" + p, env, run, p, warmup, true);
    }

    static void latency(
            BenchCluster cluster,
            BenchData data,
            BenchOptions o,
            int indicators,
            double rate,
            String load,
            String timeout,
            String state,
            boolean headline,
            Report report,
            PrintStream log)
            throws Exception {
        int p = o.getInt("latency-parallelism");
        Duration ooo = o.getDuration("latency-out-of-orderness");
        Duration wmInterval = o.getDuration("latency-watermark-interval");
        Duration bufferTimeout = io.tiflink.vmconn.config.Durations.parse(timeout);
        double seconds = Double.parseDouble(o.get("latency-seconds"));
        long count = (long) (rate * seconds);
        count -= count % p;
        DetectionSettings settings =
                DetectionSettings.defaults()
                        .withIdleness(Duration.ZERO)
                        .withEmitMode(EmitMode.FIRST)
                        .withOutOfOrderness(ooo);
        RunControl run =
                RunControl.create(
                        "latency", data, count, indicators, Instant.now().minusSeconds(600), true);
        StreamExecutionEnvironment env = cluster.env(p);
        env.getConfig().setAutoWatermarkInterval(wmInterval.toMillis());
        env.setBufferTimeout(bufferTimeout.toMillis());
        if (state.equals("rocksdb")) {
            BenchCluster.rocksDb(env);
        }
        BenchJobs.detection(env, run, settings, p, true);
        log.printf(
                t()
                        + "bench: latency: %,.0f rows/s for %.0f s, first mode, p%d, out-of-orderness %s, watermark interval %s, "
                        + "buffer timeout %s, %s state...%n",
                rate,
                seconds,
                p,
                o.get("latency-out-of-orderness"),
                o.get("latency-watermark-interval"),
                timeout,
                state);
        JobClient job = env.executeAsync("bench latency");
        long paced;
        try {
            while (run.indicatorsEmitted.sum() < indicators) {
                if (job.getJobStatus().get().isTerminalState()) {
                    job.getJobExecutionResult().get();
                    throw new IllegalStateException("the latency job ended early");
                }
                Thread.sleep(20);
            }
            Thread.sleep(1000); // the indicators reach the broadcast state
            run.pace(rate / p);
            paced = System.currentTimeMillis();
            run.allow(Long.MAX_VALUE);
            job.getJobExecutionResult().get();
        } finally {
            run.release();
        }
        long skipUntil =
                (paced + (long) Math.min(2000, seconds * 200))
                        * 1_000_000L; // the first 2 s: the pipeline fills
        List<Long> lat = new ArrayList<>();
        for (long[] l : run.latencies) {
            if (l[0] >= skipUntil) {
                lat.add(l[1]);
            }
        }
        lat.sort(Comparator.naturalOrder());
        double p50 = percentileMs(lat, 0.50);
        double p99 = percentileMs(lat, 0.99);
        double max = lat.isEmpty() ? Double.NaN : lat.get(lat.size() - 1) / 1e6;
        String suffix =
                headline ? "" : "_buffer_" + timeout.replaceAll("[^0-9a-z]", "") + "_" + state;
        report.put("latency_p50_ms_first" + suffix, p50);
        report.put("latency_p99_ms_first" + suffix, p99);
        report.put("latency_max_ms_first" + suffix, max);
        report.put("latency_alerts" + suffix, lat.size());
        report.put("latency_rate_eps" + suffix, rate);
        report.put(
                "latency_settings" + suffix,
                String.format(
                        Locale.ROOT,
                        "p%d, emit first, out-of-orderness %s, "
                                + "auto-watermark interval %s, buffer timeout %s, %.0f rows/s for %.0f s, keyed state %s",
                        p,
                        o.get("latency-out-of-orderness"),
                        o.get("latency-watermark-interval"),
                        timeout,
                        rate,
                        seconds,
                        state));
        report.row(
                "Alert latency p50 / p99 (first mode), buffer timeout "
                        + timeout
                        + ", "
                        + state
                        + " state",
                String.format(Locale.ROOT, "%.0f / %.0f ms", p50, p99),
                String.format(
                        Locale.ROOT,
                        "%,.0f rows/s (%s), %d alerts; bound %s, watermark every %s, "
                                + "%s state; max %.0f ms; goal p99 < 250 ms",
                        rate,
                        load,
                        lat.size(),
                        o.get("latency-out-of-orderness"),
                        o.get("latency-watermark-interval"),
                        state,
                        max));
        log.printf(
                t() + "bench: latency p50 %.0f ms, p99 %.0f ms, max %.0f ms over %d alerts%n",
                p50,
                p99,
                max,
                lat.size());
    }

    // -------------------------------------------------------------------- helpers

    interface Measurement {
        BenchCluster.Phased run() throws Exception;
    }

    /** The run with the median throughput of {@code n} (all its figures from that run). */
    static BenchCluster.Phased median(int n, Measurement m) throws Exception {
        List<BenchCluster.Phased> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(m.run());
        }
        runs.sort(Comparator.comparingDouble(r -> r.eps));
        BenchCluster.Phased mid = runs.get(runs.size() / 2);
        if (n > 1) {
            mid.allEps = runs.stream().mapToDouble(r -> r.eps).toArray();
        }
        return mid;
    }

    private static String cpuNote(BenchCluster.Phased r) {
        String runs =
                r.allEps == null
                        ? ""
                        : "; median of "
                                + Arrays.stream(r.allEps)
                                        .mapToObj(Report::human)
                                        .collect(
                                                java.util.stream.Collectors.joining(
                                                        ", ", "[", "]"));
        return String.format(Locale.ROOT, "; CPU %.1f us/row", r.cpuMicrosPerRow) + runs;
    }

    private static void putCpu(Report report, String key, BenchCluster.Phased r, PrintStream log) {
        report.put("cpu_us_per_row_" + key, Math.round(r.cpuMicrosPerRow * 100) / 100.0);
        report.json.put("cpu_us_per_row_by_thread_" + key, r.cpuMicrosPerRowByThread);
        log.printf(
                t() + "bench:   CPU %.2f us per row: %s%n",
                r.cpuMicrosPerRow,
                r.cpuMicrosPerRowByThread);
    }

    private static void putCheckpoint(Report report, String key, BenchCluster.CheckpointFigures c) {
        if (c == null) {
            return;
        }
        report.put("checkpoint_bytes_" + key, c.stateBytes);
        report.put("checkpoint_seconds_" + key, c.seconds);
        report.json.put("checkpoint_bytes_by_task_" + key, c.bytesByTask);
    }

    private static volatile long started = System.nanoTime();

    /** Seconds since the run started, for the log. */
    static String t() {
        return String.format(Locale.ROOT, "[%6.1fs] ", (System.nanoTime() - started) / 1e9);
    }

    static String sizeKey(long n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return (n / 1_000_000) + "m";
        }
        if (n >= 1_000 && n % 1_000 == 0) {
            return (n / 1_000) + "k";
        }
        return Long.toString(n);
    }

    private static double percentileMs(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }

    static double num(Object o) {
        return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
