package io.tiflink.vmconn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.io.InputWatermarks;
import io.tiflink.vmconn.job.FlinkEnvironments;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.DetectionWorkflow;
import io.tiflink.vmconn.workflow.Uids;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * One soak run, on one state backend, in its own JVM ({@link Soak} starts it with the task heap as
 * -Xmx and -XX:+ExitOnOutOfMemoryError): a MiniCluster with one TaskManager, the production
 * workflow ({@link DetectionWorkflow#define}) fed by the indicator rows (loaded first) and {@link
 * SoakSource}'s connection rows, periodic checkpoints. While the rows flow it samples, every
 * interval of wall time and at every minute of event time: throughput, the heap after GC ({@link
 * HeapWatch}), the matcher's {@code keptConnections} gauges (summed over its subtasks, read through
 * an in-process metric reporter), and the last completed checkpoint's size and duration. Each
 * sample is a line of soak-BACKEND.jsonl (flushed, so that a JVM that dies leaves what it saw) and
 * a line on stdout.
 *
 * <p>It stops by itself: when the last row is out (then, with nothing flowing, it takes the live
 * heap after full collections and cancels the job), when the heap runs out (heap after GC >= 95% of
 * the maximum, or GC >= 50% of the time with the heap >= 80% full, in three samples in a row over
 * 30 s at least), when the job fails, when no row moves for five minutes, or at the wall-clock
 * limit; and a watchdog halts the JVM three minutes after that limit whatever the state. The
 * outcome goes to soak-BACKEND-result.json (written once already when the rows start, with the live
 * heap before them, for a JVM that dies); the exit status is 0 when the run completed.
 */
final class SoakRun {

    /** Event time of the first connection row (hour-aligned, as alert windows are). */
    static final Instant T0 = BenchData.T0;

    /** The reason a result written before the end carries (the JVM may die before the end). */
    static final String RUNNING = "running";

    private static final double HEAP_FULL = 0.95;
    private static final int PRESSURE_SAMPLES = 3;
    private static final long PRESSURE_MILLIS = 30_000;
    private static final long STALL_MILLIS = TimeUnit.MINUTES.toMillis(5);

    /** One point of the time series (public fields: written as JSON). */
    public static final class Sample {
        public String trigger;
        public double wallSeconds;
        public long rows;
        public double eventMinutes;
        public double eps;
        public long heapAfterGcBytes;
        public long heapAfterFullGcBytes;
        public long oldCollectionUsageBytes;
        public long heapUsedBytes;
        public long maxHeapBytes;
        public long residentBytes;
        public double gcShare;
        public long fullGcs;
        public long keptConnections;
        public long liveIndicators;
        public long connectionsProcessed;
        public long alerts;
        public long checkpointsCompleted;
        public long checkpointsFailed;
        public long checkpointId;
        public long checkpointBytes;
        public long checkpointedBytes;
        public double checkpointSeconds;
        public String lastCheckpointFailure;
    }

    /** What the run gives the parent (public fields: written as JSON). */
    public static final class Result {
        public String backend;
        public boolean completed;
        public String reason;
        public long rowsPlanned;
        public long rows;
        public double eventMinutes;
        public double wallSeconds;
        public double eps;
        public long baselineHeapBytes;
        public double indicatorLoadSeconds;
        public long liveHeapBytesAtEnd = -1;
        public long keptConnectionsAtEnd = -1;
        public long maxHeapBytes;
        public int parallelism;
        public List<String> jvm;
    }

    private SoakRun() {}

    public static void main(String[] args) throws Exception {
        BenchOptions o = Soak.childOptions().parse(args);
        long wallLimitMillis = o.getDuration("soak-wall-limit").toMillis();
        Thread watchdog =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(wallLimitMillis + TimeUnit.MINUTES.toMillis(3));
                            } catch (InterruptedException e) {
                                return;
                            }
                            System.out.println(
                                    "soak: watchdog: still running 3 min past the "
                                            + "wall-clock limit; halting the JVM");
                            System.out.flush();
                            Runtime.getRuntime().halt(4);
                        },
                        "soak-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Result r;
        Path out = Paths.get(o.get("out"));
        String backend = o.get("soak-backend");
        try {
            r = run(o, System.out);
        } catch (Throwable t) {
            t.printStackTrace();
            r = new Result();
            r.backend = backend;
            r.reason = "the run failed: " + rootMessage(t);
        }
        writeResult(out, r);
        System.out.flush();
        System.exit(r.completed ? 0 : 1);
    }

    static Result run(BenchOptions o, PrintStream log) throws Exception {
        String backend = o.get("soak-backend");
        int p = o.getInt("soak-parallelism");
        int indicators = o.getInt("soak-indicators");
        long wallLimitMillis = o.getDuration("soak-wall-limit").toMillis();
        long sampleMillis = o.getDuration("soak-sample-interval").toMillis();
        Path out = Paths.get(o.get("out")).toAbsolutePath();
        long started = System.currentTimeMillis();
        SoakRows shape = Soak.shape(o);
        long planned = shape.rowsPerMinute() * o.getInt("soak-minutes");
        planned -= planned % p;
        DetectionSettings settings = DetectionSettings.defaults().withIdleness(Duration.ZERO);

        Result r = new Result();
        r.backend = backend;
        r.rowsPlanned = planned;
        r.parallelism = p;
        r.jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        HeapWatch heap = new HeapWatch();
        r.maxHeapBytes = heap.maxHeapBytes();

        Path checkpoints = Files.createTempDirectory(out, "soak-checkpoints-" + backend + "-");
        InMemoryReporter metrics = InMemoryReporter.create();
        Configuration conf = FlinkEnvironments.baseConfiguration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, p);
        conf.set(
                TaskManagerOptions.MANAGED_MEMORY_SIZE,
                MemorySize.parse(o.get("soak-managed-memory")));
        conf.setString("execution.checkpointing.storage", "filesystem");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        // As flink-conf/config.yaml, except the restarts: a soak reports a failure, never retries.
        conf.setString("execution.checkpointing.min-pause", "2s");
        conf.setString("execution.checkpointing.timeout", "10min");
        conf.setString("execution.checkpointing.tolerable-failed-checkpoints", "3");
        conf.setString("restart-strategy.type", "none");
        conf.setString("state.backend.type", backend.equals("rocksdb") ? "rocksdb" : "hashmap");
        conf.setString("execution.checkpointing.incremental", "true");
        metrics.addToConfiguration(conf);

        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(p)
                                .withRandomPorts()
                                .build());
        cluster.start();
        Path series = out.resolve("soak-" + backend + ".jsonl");
        ObjectMapper json = new ObjectMapper();
        try (Writer samples = Files.newBufferedWriter(series, StandardCharsets.UTF_8)) {
            RunControl run =
                    RunControl.create(
                            "soak-" + backend,
                            BenchData.generate(0, 0, 0, 4, 1, 42),
                            planned,
                            indicators,
                            T0.minusSeconds(600),
                            false);
            RunControl dead = RunControl.create("soak-dead-letters", null, 0, 0, T0, false);
            StreamExecutionEnvironment env =
                    new TestStreamEnvironment(
                            cluster, new Configuration(conf), p, List.of(), List.of());
            env.setParallelism(p);
            env.enableCheckpointing(
                    o.getDuration("soak-checkpoint-interval").toMillis(),
                    CheckpointingMode.EXACTLY_ONCE);
            DataStream<InputRecord> connections =
                    env.fromSource(
                                    SoakSource.connections(
                                            run, shape, planned, settings.outOfOrdernessNanos()),
                                    InputWatermarks.forConnections(settings),
                                    "Soak connections")
                            .uid(Uids.CONNECTION_SOURCE)
                            .setParallelism(p);
            DataStream<InputRecord> indicatorRows =
                    env.fromSource(
                                    SoakSource.indicators(run, settings.outOfOrdernessNanos()),
                                    InputWatermarks.forIndicators(settings),
                                    "Soak indicators")
                            .uid(Uids.INDICATOR_SOURCE)
                            .setParallelism(1);
            DetectionWorkflow.Outputs job =
                    DetectionWorkflow.define(indicatorRows, connections, settings);
            job.alerts
                    .sinkTo(new EndSink<>(run.id, false))
                    .name("Alerts (counted)")
                    .uid(Uids.ALERT_SINK);
            job.deadLetters
                    .sinkTo(new EndSink<>(dead.id, false))
                    .name("Dead letters (counted)")
                    .uid(Uids.DEAD_LETTER_SINK);
            JobClient client = env.executeAsync("soak " + backend);
            JobID id = client.getJobID();
            try {
                // ---- the indicators, then the heap before any connection
                log.printf(
                        "soak %s: loading %,d indicators (p%d, %s heap max)...%n",
                        backend, indicators, p, Report.bytes(r.maxHeapBytes));
                long t = System.nanoTime();
                while (sum(metrics, id, "liveIndicators") < (long) indicators * p) {
                    failIfEnded(client);
                    if (System.currentTimeMillis() - started > wallLimitMillis) {
                        throw new IllegalStateException("the indicators did not load in time");
                    }
                    Thread.sleep(100);
                }
                r.indicatorLoadSeconds = (System.nanoTime() - t) / 1e9;
                r.baselineHeapBytes = HeapWatch.liveHeapBytes();
                r.reason = RUNNING;
                writeResult(out, r);
                log.printf(
                        "soak %s: indicators in the matcher in %.1f s; heap after full GC %s; "
                                + "%,d connection rows (%s rows/s of event time, %d min)...%n",
                        backend,
                        r.indicatorLoadSeconds,
                        Report.bytes(r.baselineHeapBytes),
                        planned,
                        Report.human(shape.rowsPerMinute() / 60.0),
                        o.getInt("soak-minutes"));

                // ---- the connections, sampled
                long t0 = System.currentTimeMillis();
                run.allow(Long.MAX_VALUE);
                Sample last = null;
                long lastSampleMillis = t0;
                long lastRows = 0;
                long lastGcMillis = HeapWatch.gcMillis();
                long lastMoved = t0;
                int pressure = 0;
                long pressureSince = 0;
                String stop = null;
                for (; ; ) {
                    Thread.sleep(200);
                    long now = System.currentTimeMillis();
                    long rows = run.connectionsEmitted.sum();
                    boolean done = rows >= planned;
                    if (rows != lastRows) {
                        lastMoved = now;
                    }
                    long minute = rows / shape.rowsPerMinute();
                    boolean minuteReached =
                            last != null && minute > (long) Math.floor(last.eventMinutes + 1e-9);
                    if (!done && !minuteReached && now - lastSampleMillis < sampleMillis) {
                        continue;
                    }
                    Sample s = new Sample();
                    s.trigger = done ? "end" : minuteReached ? "minute" : "interval";
                    s.wallSeconds = (now - t0) / 1e3;
                    s.rows = rows;
                    s.eventMinutes = (double) rows / shape.rowsPerMinute();
                    s.eps = (rows - lastRows) * 1e3 / Math.max(1, now - lastSampleMillis);
                    long gc = HeapWatch.gcMillis();
                    s.gcShare = (gc - lastGcMillis) / (double) Math.max(1, now - lastSampleMillis);
                    lastGcMillis = gc;
                    lastSampleMillis = now;
                    lastRows = rows;
                    if (done) {
                        // Everything is out: let the matcher take the rows in flight.
                        awaitProcessed(metrics, id, planned, client);
                    }
                    fill(s, last, heap, metrics, id, cluster, run);
                    samples.write(json.writeValueAsString(s));
                    samples.write('\n');
                    samples.flush();
                    log.println(progress(backend, s, o.getInt("soak-minutes")));
                    last = s;
                    r.rows = rows;
                    r.eventMinutes = s.eventMinutes;
                    r.wallSeconds = s.wallSeconds;
                    r.eps = rows / Math.max(1e-3, s.wallSeconds);
                    boolean full =
                            s.heapAfterGcBytes >= HEAP_FULL * s.maxHeapBytes
                                    || s.gcShare >= 0.5
                                            && s.heapAfterGcBytes >= 0.8 * s.maxHeapBytes;
                    pressureSince = full ? pressure == 0 ? now : pressureSince : 0;
                    pressure = full ? pressure + 1 : 0;
                    if (done) {
                        break;
                    }
                    if (pressure >= PRESSURE_SAMPLES && now - pressureSince >= PRESSURE_MILLIS) {
                        stop =
                                String.format(
                                        Locale.ROOT,
                                        "heap exhausted: heap after GC %s of %s (%.0f%%), GC %.0f%% "
                                                + "of the time, in %d samples in a row over %.0f s",
                                        Report.bytes(s.heapAfterGcBytes),
                                        Report.bytes(s.maxHeapBytes),
                                        100.0 * s.heapAfterGcBytes / s.maxHeapBytes,
                                        100 * s.gcShare,
                                        pressure,
                                        (now - pressureSince) / 1e3);
                    } else if (now - lastMoved > STALL_MILLIS) {
                        stop = "stalled: no row for " + STALL_MILLIS / 60_000 + " min";
                    } else if (now - started > wallLimitMillis) {
                        stop =
                                "wall-clock limit ("
                                        + o.get("soak-wall-limit")
                                        + ") reached at "
                                        + String.format(Locale.ROOT, "%.1f", s.eventMinutes)
                                        + " min of event time";
                    } else if (client.getJobStatus().get().isTerminalState()) {
                        stop = "the job ended: " + endCause(client);
                    }
                    if (stop != null) {
                        break;
                    }
                }
                if (stop == null) {
                    r.liveHeapBytesAtEnd = HeapWatch.liveHeapBytes();
                    r.keptConnectionsAtEnd = sum(metrics, id, "keptConnections");
                    r.completed = true;
                    r.reason = "completed";
                    log.printf(
                            "soak %s: completed: %,d rows in %.0f s (%s); heap after full GC with "
                                    + "the last kept set: %s, %,d kept connections%n",
                            backend,
                            r.rows,
                            r.wallSeconds,
                            Report.eps(r.eps),
                            Report.bytes(r.liveHeapBytesAtEnd),
                            r.keptConnectionsAtEnd);
                } else {
                    r.reason = stop;
                    log.printf("soak %s: STOPPED: %s%n", backend, stop);
                }
            } finally {
                run.release();
                dead.release();
                try {
                    client.cancel().get(2, TimeUnit.MINUTES);
                } catch (Exception e) {
                    // already ended
                }
            }
        } finally {
            try {
                cluster.closeAsync().get(2, TimeUnit.MINUTES);
            } catch (Exception e) {
                log.println("soak: the MiniCluster did not close: " + e);
            }
            Bench.deleteRecursively(checkpoints);
        }
        return r;
    }

    static void writeResult(Path out, Result r) throws java.io.IOException {
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("soak-" + r.backend + "-result.json").toFile(), r);
    }

    private static void fill(
            Sample s,
            Sample previous,
            HeapWatch heap,
            InMemoryReporter metrics,
            JobID id,
            MiniCluster cluster,
            RunControl run)
            throws Exception {
        s.heapAfterGcBytes = heap.afterLastGcBytes();
        s.heapAfterFullGcBytes = heap.afterLastFullGcBytes();
        s.oldCollectionUsageBytes = heap.oldCollectionUsageBytes();
        s.heapUsedBytes = HeapWatch.heapUsedBytes();
        s.maxHeapBytes = heap.maxHeapBytes();
        s.residentBytes = HeapWatch.residentBytes();
        s.fullGcs = HeapWatch.fullCollections();
        s.keptConnections = sum(metrics, id, "keptConnections");
        s.liveIndicators = sum(metrics, id, "liveIndicators");
        s.connectionsProcessed = sum(metrics, id, "connectionsProcessed");
        s.alerts = run.sinkRecords.sum();
        try {
            CheckpointStatsSnapshot c =
                    cluster.getExecutionGraph(id)
                            .get(30, TimeUnit.SECONDS)
                            .getCheckpointStatsSnapshot();
            if (c != null) {
                s.checkpointsCompleted = c.getCounts().getNumberOfCompletedCheckpoints();
                s.checkpointsFailed = c.getCounts().getNumberOfFailedCheckpoints();
                CompletedCheckpointStats last = c.getHistory().getLatestCompletedCheckpoint();
                if (last != null) {
                    s.checkpointId = last.getCheckpointId();
                    s.checkpointBytes = last.getStateSize();
                    s.checkpointedBytes = last.getCheckpointedSize();
                    s.checkpointSeconds = last.getEndToEndDuration() / 1e3;
                }
                var failed = c.getHistory().getLatestFailedCheckpoint();
                if (failed != null) {
                    s.lastCheckpointFailure =
                            "#" + failed.getCheckpointId() + ": " + failed.getFailureMessage();
                }
            }
        } catch (Exception e) {
            // No statistics in time (the job is ending, or the JVM is busy collecting): the
            // previous sample's stand.
            if (previous != null) {
                s.checkpointsCompleted = previous.checkpointsCompleted;
                s.checkpointsFailed = previous.checkpointsFailed;
                s.checkpointId = previous.checkpointId;
                s.checkpointBytes = previous.checkpointBytes;
                s.checkpointedBytes = previous.checkpointedBytes;
                s.checkpointSeconds = previous.checkpointSeconds;
                s.lastCheckpointFailure = previous.lastCheckpointFailure;
            }
        }
    }

    /** A metric summed over the job's subtasks (gauges and counters). */
    static long sum(InMemoryReporter metrics, JobID id, String name) {
        long n = 0;
        for (Metric m : metrics.findMetrics(id, "\\." + name + "$").values()) {
            if (m instanceof Gauge) {
                Object v = ((Gauge<?>) m).getValue();
                n += v instanceof Number ? ((Number) v).longValue() : 0;
            } else if (m instanceof Counter) {
                n += ((Counter) m).getCount();
            }
        }
        return n;
    }

    private static void awaitProcessed(
            InMemoryReporter metrics, JobID id, long rows, JobClient client) throws Exception {
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(5);
        while (sum(metrics, id, "connectionsProcessed") < rows
                && System.currentTimeMillis() < deadline
                && !client.getJobStatus().get().isTerminalState()) {
            Thread.sleep(100);
        }
    }

    private static void failIfEnded(JobClient client) throws Exception {
        if (client.getJobStatus().get().isTerminalState()) {
            throw new IllegalStateException("the job ended: " + endCause(client));
        }
    }

    private static String endCause(JobClient client) {
        try {
            client.getJobExecutionResult().get(30, TimeUnit.SECONDS);
            return client.getJobStatus().get().toString();
        } catch (Exception e) {
            return rootMessage(e);
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** The progress line of a sample. */
    static String progress(String backend, Sample s, int minutes) {
        return String.format(
                Locale.ROOT,
                "soak %-7s %7.1fs  min %5.1f/%d  %,9.0f rows/s  heap after GC %s (%2.0f%%)  "
                        + "kept %,d  checkpoint %s  GC %2.0f%%  RSS %s",
                backend,
                s.wallSeconds,
                s.eventMinutes,
                minutes,
                s.eps,
                Report.bytes(s.heapAfterGcBytes),
                100.0 * s.heapAfterGcBytes / s.maxHeapBytes,
                s.keptConnections,
                s.checkpointId == 0
                        ? "none yet"
                        : String.format(
                                Locale.ROOT,
                                "#%d %s in %.1f s",
                                s.checkpointId,
                                Report.bytes(s.checkpointBytes),
                                s.checkpointSeconds),
                100 * s.gcShare,
                Report.bytes(s.residentBytes));
    }

    /** Reads a series written by a run (a last line cut short by a dying JVM is left out). */
    static List<Sample> readSeries(Path file) throws java.io.IOException {
        List<Sample> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                out.add(json.readValue(line, Sample.class));
            } catch (java.io.IOException e) {
                break;
            }
        }
        return out;
    }
}
