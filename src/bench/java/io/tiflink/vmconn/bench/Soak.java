package io.tiflink.vmconn.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tiflink.vmconn.config.DetectionSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak benchmark ({@code ./bench.sh --soak}): the whole job for longer than the look-back L at
 * a fixed event-time rate, on the heap state backend and on RocksDB, each in a JVM of its own whose
 * heap is the task heap ({@code --soak-heap}), so that the heap figures are the backend's. Rows are
 * made on the fly ({@link SoakRows}, {@link SoakSource}); each JVM runs {@link SoakRun}, which
 * samples throughput, heap after GC, kept connections and checkpoints as it goes and stops by
 * itself; this class starts the JVMs one after the other, relays their progress, stops one that
 * outlives its wall-clock limit, and reports: target/bench/soak.json (the time series and the
 * figures), the soak keys of results.json (merged into the file when the default bench wrote one),
 * soak.svg (the chart), soak.md and the table on stdout.
 *
 * <p>Steady state: the matcher keeps a connection until the watermark (its out-of-orderness bound
 * behind the rows) passes the end of the connection's minute plus L, so the kept set stops growing
 * at L + bound + 1 min of event time (66 min with the defaults); the samples from there on are the
 * steady part. The steady heap is the live heap after the last row (full collections with nothing
 * running, the kept set at its steady size), because the heap after G1's young collections, read
 * passively, also holds the old generation's garbage (see {@link HeapWatch}); that passive mean
 * over the steady samples is reported beside it. A run that stopped has no such measurement: then
 * the heap G1's last full collection left while the rows flowed, else the passive mean of its last
 * samples (an upper bound). Heap per kept connection: (steady heap - live heap before the first
 * row) / the kept connections at that point. {@code --soak-report} reports again from the files a
 * run left, without running.
 */
final class Soak {

    /** The soak options each run's JVM is given, as the driver got them (and soak.json keeps). */
    private static final List<String> RUN_OPTIONS =
            List.of(
                    "soak-rate",
                    "soak-minutes",
                    "soak-indicators",
                    "soak-heap",
                    "soak-parallelism",
                    "soak-checkpoint-interval",
                    "soak-wall-limit",
                    "soak-sample-interval",
                    "soak-computers",
                    "soak-hit-rate",
                    "soak-once-share",
                    "soak-managed-memory");

    /** How many of the indicators the connection rows hit (the first ones). */
    static final int LISTED = 1000;

    static final List<String> BACKENDS = List.of("heap", "rocksdb");

    private Soak() {}

    /** The soak's options, for ./bench.sh --help and the runs' JVMs. */
    static BenchOptions declare(BenchOptions o) {
        return o.declare(
                        "soak",
                        null,
                        "run the soak benchmark only (not the default parts): the whole job for "
                                + "longer than L at a fixed event-time rate, each state backend in a JVM of its own")
                .declare(
                        "soak-report",
                        null,
                        "soak: no run, report again the runs whose files are in --out (soak-BACKEND.jsonl"
                                + " and -result.json)")
                .declare("soak-rate", "10000", "soak: connection rows per second of event time")
                .declare(
                        "soak-minutes",
                        "75",
                        "soak: minutes of event time (the kept set is steady after L + bound + 1 min)")
                .declare(
                        "soak-indicators",
                        "100000",
                        "soak: live indicators (the rows hit the first " + LISTED + ")")
                .declare("soak-backends", "heap,rocksdb", "soak: state backends, one run each")
                .declare("soak-heap", "4g", "soak: heap of each run's JVM (-Xms = -Xmx)")
                .declare("soak-parallelism", "2", "soak: parallelism of the job")
                .declare("soak-checkpoint-interval", "30s", "soak: checkpoint interval")
                .declare(
                        "soak-wall-limit",
                        "120min",
                        "soak: wall-clock limit of each run (then it stops, not completed)")
                .declare(
                        "soak-sample-interval",
                        "10s",
                        "soak: wall time between samples (also one per minute of event time)")
                .declare("soak-computers", "1000", "soak: computers of the fleet")
                .declare("soak-hit-rate", "0.001", "soak: share of rows whose remote IP is listed")
                .declare(
                        "soak-once-share",
                        "0.35",
                        "soak: share of rows to remote IPs no other row has")
                .declare(
                        "soak-managed-memory",
                        "512m",
                        "soak: managed (off-heap) memory of the TaskManager, RocksDB's");
    }

    /** Options of a run's JVM: the soak's, the backend, the output directory, the seed. */
    static BenchOptions childOptions() {
        return declare(new BenchOptions())
                .declare("soak-backend", "heap", "state backend of this run: heap or rocksdb")
                .declare("out", "target/bench", "where to write the series and the result")
                .declare("seed", "42", "seed of the rows");
    }

    static SoakRows shape(BenchOptions o) {
        return new SoakRows(
                SoakRun.T0,
                Double.parseDouble(o.get("soak-rate")),
                o.getInt("soak-computers"),
                Math.min(LISTED, o.getInt("soak-indicators")),
                Double.parseDouble(o.get("soak-hit-rate")),
                Double.parseDouble(o.get("soak-once-share")),
                Long.parseLong(o.get("seed")));
    }

    /** One backend's run as the parent saw it. */
    static final class Outcome {
        String backend;
        int exitCode;
        SoakRun.Result result;
        List<SoakRun.Sample> samples;
        Map<String, Object> figures;
    }

    static Map<String, Object> run(BenchOptions o, PrintStream log) throws Exception {
        List<String> backends = o.getList("soak-backends");
        for (String b : backends) {
            if (!BACKENDS.contains(b)) {
                throw new IllegalArgumentException(
                        "--soak-backends takes " + BACKENDS + ", not '" + b + "'");
            }
        }
        o.getDuration("soak-wall-limit");
        o.getDuration("soak-checkpoint-interval");
        Path out = Paths.get(o.get("out"));
        Files.createDirectories(out);
        SoakRows shape = shape(o).open();
        Map<String, Object> rows = shape.describe(Math.min(2, o.getInt("soak-minutes")));
        log.printf(
                "soak: %s rows/s of event time for %s min, %s indicators, p%s, heap %s per run; "
                        + "rows: %s%n",
                o.get("soak-rate"),
                o.get("soak-minutes"),
                o.get("soak-indicators"),
                o.get("soak-parallelism"),
                o.get("soak-heap"),
                rows);
        DetectionSettings settings = DetectionSettings.defaults();
        double steadyFrom =
                (settings.lookbackMillis() + settings.outOfOrdernessNanos() / 1_000_000) / 60_000.0
                        + 1;
        List<Outcome> outcomes = new ArrayList<>();
        for (String b : backends) {
            Outcome oc =
                    o.has("soak-report")
                            ? collect(b, o, out, 0, false, List.of(), log)
                            : runChild(b, o, out, log);
            oc.figures = figures(oc, steadyFrom);
            outcomes.add(oc);
        }

        Map<String, Object> keys = new LinkedHashMap<>();
        boolean all = !outcomes.isEmpty();
        for (Outcome oc : outcomes) {
            all &= oc.result.completed;
        }
        keys.put("soak_completed", outcomes.isEmpty() ? null : all);
        for (String b : BACKENDS) {
            Outcome oc =
                    outcomes.stream().filter(x -> x.backend.equals(b)).findFirst().orElse(null);
            keys.put("soak_completed_" + b, oc == null ? null : oc.result.completed);
            keys.put("soak_eps_" + b, oc == null ? null : oc.figures.get("eps"));
        }
        Outcome heap =
                outcomes.stream().filter(x -> x.backend.equals("heap")).findFirst().orElse(null);
        keys.put(
                "soak_steady_heap_bytes",
                heap == null ? null : heap.figures.get("steady_heap_bytes"));
        keys.put(
                "soak_heap_bytes_per_kept_connection",
                heap == null ? null : heap.figures.get("heap_bytes_per_kept_connection"));
        for (Outcome oc : outcomes) {
            for (Map.Entry<String, Object> e : oc.figures.entrySet()) {
                keys.putIfAbsent("soak_" + e.getKey() + "_" + oc.backend, e.getValue());
            }
        }
        keys.put("soak_settings", settingsOf(o, steadyFrom));
        keys.put("soak_measured_at", Instant.now().toString());

        Map<String, Object> soak = new LinkedHashMap<>();
        soak.put("settings", settingsOf(o, steadyFrom));
        soak.put("rows", rows);
        soak.put("results", keys);
        Map<String, Object> runs = new LinkedHashMap<>();
        for (Outcome oc : outcomes) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("result", oc.result);
            r.put("exit_code", oc.exitCode);
            r.put("figures", oc.figures);
            r.put("samples", oc.samples);
            runs.put(oc.backend, r);
        }
        soak.put("runs", runs);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(out.resolve("soak.json").toFile(), soak);
        mergeResults(out.resolve("results.json"), keys);
        Map<String, List<SoakRun.Sample>> series = new LinkedHashMap<>();
        outcomes.forEach(oc -> series.put(oc.backend, oc.samples));
        Files.writeString(
                out.resolve("soak.svg"),
                SoakChart.svg(
                        series, steadyFrom, o.getInt("soak-minutes"), maxHeap(outcomes), title(o)),
                StandardCharsets.UTF_8);
        String table = table(outcomes, o, steadyFrom);
        Files.writeString(out.resolve("soak.md"), table, StandardCharsets.UTF_8);
        log.println();
        log.print(table);
        log.printf(
                "%nsoak: %s; results in %s, %s, %s%n",
                all ? "completed" : "NOT completed",
                out.resolve("soak.json"),
                out.resolve("results.json"),
                out.resolve("soak.svg"));
        return keys;
    }

    /** Starts one run's JVM, relays its progress, and collects what it left. */
    static Outcome runChild(String backend, BenchOptions o, Path out, PrintStream log)
            throws Exception {
        String heap = o.get("soak-heap");
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) {
                cmd.add(a);
            }
        }
        Path gcLog = out.resolve("soak-" + backend + "-gc.log");
        cmd.addAll(
                List.of(
                        "-Xms" + heap,
                        "-Xmx" + heap,
                        "-XX:+UseG1GC",
                        "-XX:MaxGCPauseMillis=50",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-Xlog:gc:file=" + gcLog + ":time,uptime",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SoakRun.class.getName(),
                        "--soak-backend",
                        backend,
                        "--out",
                        out.toString(),
                        "--seed",
                        o.get("seed")));
        for (String name : RUN_OPTIONS) {
            cmd.add("--" + name);
            cmd.add(o.get(name));
        }
        Path resultFile = out.resolve("soak-" + backend + "-result.json");
        Files.deleteIfExists(resultFile);
        Path logFile = out.resolve("soak-" + backend + ".log");
        log.printf("soak: starting the %s run (its log: %s)%n", backend, logFile);
        Process child =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(false)
                        .redirectError(logFile.toFile())
                        .start();
        Deque<String> tail = new ArrayDeque<>();
        Thread relay =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    child.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                for (String line; (line = r.readLine()) != null; ) {
                                    log.println(line);
                                    synchronized (tail) {
                                        tail.add(line);
                                        if (tail.size() > 20) {
                                            tail.poll();
                                        }
                                    }
                                }
                            } catch (IOException e) {
                                // the child is gone
                            }
                        },
                        "soak-relay-" + backend);
        relay.setDaemon(true);
        relay.start();
        long limit = o.getDuration("soak-wall-limit").toMillis() + TimeUnit.MINUTES.toMillis(5);
        boolean killed = false;
        if (!child.waitFor(limit, TimeUnit.MILLISECONDS)) {
            log.printf("soak: the %s run outlived its wall-clock limit: killing it%n", backend);
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            killed = true;
        }
        relay.join(5_000);
        List<String> last;
        synchronized (tail) {
            last = new ArrayList<>(tail);
        }
        return collect(backend, o, out, child.exitValue(), killed, last, log);
    }

    /** What a run left in {@code out}: its result, or the reason it has none, and its samples. */
    static Outcome collect(
            String backend,
            BenchOptions o,
            Path out,
            int exitCode,
            boolean killed,
            List<String> tail,
            PrintStream log)
            throws IOException {
        Path resultFile = out.resolve("soak-" + backend + "-result.json");
        Outcome oc = new Outcome();
        oc.backend = backend;
        oc.exitCode = exitCode;
        oc.samples = SoakRun.readSeries(out.resolve("soak-" + backend + ".jsonl"));
        SoakRun.Result written =
                Files.exists(resultFile)
                        ? new ObjectMapper().readValue(resultFile.toFile(), SoakRun.Result.class)
                        : null;
        if (written != null && !SoakRun.RUNNING.equals(written.reason)) {
            oc.result = written;
        } else {
            // The JVM ended without its result: what it wrote once the indicators were in, if any.
            SoakRun.Result r = written != null ? written : new SoakRun.Result();
            r.backend = backend;
            r.completed = false;
            r.reason =
                    killed
                            ? "killed by the parent 5 min after the wall-clock limit"
                            : oc.exitCode == 3
                                    ? "out of memory: java.lang.OutOfMemoryError (the JVM exited, "
                                            + "-XX:+ExitOnOutOfMemoryError)"
                                    : "the JVM exited with status "
                                            + oc.exitCode
                                            + " without a result; last lines: "
                                            + String.join(" | ", tail);
            if (!oc.samples.isEmpty()) {
                SoakRun.Sample last = oc.samples.get(oc.samples.size() - 1);
                r.rows = last.rows;
                r.eventMinutes = last.eventMinutes;
                r.wallSeconds = last.wallSeconds;
                r.eps = last.rows / Math.max(1e-3, last.wallSeconds);
                r.maxHeapBytes = last.maxHeapBytes;
            }
            oc.result = r;
        }
        if (!oc.result.completed) {
            log.printf("soak: the %s run did NOT complete: %s%n", backend, oc.result.reason);
            int n = oc.samples.size();
            for (SoakRun.Sample s : oc.samples.subList(Math.max(0, n - 3), n)) {
                log.println(
                        "soak:   last samples: "
                                + SoakRun.progress(backend, s, o.getInt("soak-minutes")));
            }
        }
        return oc;
    }

    /** The figures of one run, from its result and its series. */
    static Map<String, Object> figures(Outcome oc, double steadyFromMinutes) {
        SoakRun.Result r = oc.result;
        List<SoakRun.Sample> all = oc.samples;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("completed", r.completed);
        f.put("reason", r.reason);
        f.put("eps", r.rows > 0 ? r.eps : null);
        f.put("event_minutes", r.eventMinutes);
        f.put("rows", r.rows);
        f.put("wall_seconds", r.wallSeconds);
        f.put("max_heap_bytes", r.maxHeapBytes);
        f.put("baseline_heap_bytes", r.baselineHeapBytes > 0 ? r.baselineHeapBytes : null);
        if (all.isEmpty()) {
            return f;
        }
        double reached = all.get(all.size() - 1).eventMinutes;
        boolean steadyReached = reached >= steadyFromMinutes;
        double from = steadyReached ? steadyFromMinutes : reached * 0.8;
        List<SoakRun.Sample> steady =
                all.stream().filter(s -> s.eventMinutes >= from && s.heapAfterGcBytes > 0).toList();
        f.put("steady_reached", steadyReached);
        f.put("steady_from_minutes", from);
        f.put("steady_samples", steady.size());
        if (steady.isEmpty()) {
            return f;
        }
        double afterAnyGc =
                steady.stream().mapToLong(s -> s.heapAfterGcBytes).average().orElse(Double.NaN);
        double kept = steady.stream().mapToLong(s -> s.keptConnections).average().orElse(0);
        double heap;
        String basis;
        if (r.liveHeapBytesAtEnd > 0 && r.keptConnectionsAtEnd > 0) {
            // Exact: the live heap with the last kept set, nothing running.
            heap = r.liveHeapBytesAtEnd;
            kept = r.keptConnectionsAtEnd;
            basis =
                    steadyReached
                            ? "full GC after the last row, kept set at its steady size"
                            : "full GC after the last row; the kept set was still growing";
        } else if (fullGcWhileRunning(all) != null) {
            // G1 fell back to full collections: the last one left the live heap of that moment.
            SoakRun.Sample at = fullGcWhileRunning(all);
            heap = at.heapAfterFullGcBytes;
            kept = at.keptConnections;
            basis =
                    String.format(
                            Locale.ROOT,
                            "after G1's last full collection while rows flowed, at %.1f min (the run"
                                    + " stopped)",
                            at.eventMinutes);
        } else {
            heap = afterAnyGc;
            basis = "heap after the last GC of each sample (the run stopped): an upper bound";
        }
        if (r.liveHeapBytesAtEnd > 0 && r.keptConnectionsAtEnd > 0) {
            f.put("live_heap_bytes_at_end", r.liveHeapBytesAtEnd);
            f.put("kept_connections_at_end", r.keptConnectionsAtEnd);
        }
        f.put("steady_heap_bytes", Math.round(heap));
        f.put("steady_heap_basis", basis);
        // Every full collection G1 made while the rows flowed left the live heap of its moment: the
        // least per kept connection is the state's own cost, the most includes what a checkpoint
        // in flight holds.
        double least = Double.NaN;
        double most = Double.NaN;
        long seen = all.get(0).fullGcs;
        for (SoakRun.Sample s : all) {
            if (s.fullGcs > seen && s.heapAfterFullGcBytes > 0 && s.keptConnections > 0) {
                seen = s.fullGcs;
                double per =
                        (double) (s.heapAfterFullGcBytes - r.baselineHeapBytes) / s.keptConnections;
                least = Double.isNaN(least) ? per : Math.min(least, per);
                most = Double.isNaN(most) ? per : Math.max(most, per);
            }
        }
        f.put("full_gcs_while_running", all.get(all.size() - 1).fullGcs - all.get(0).fullGcs);
        f.put("full_gc_heap_bytes_per_kept_connection_min", Double.isNaN(least) ? null : least);
        f.put("full_gc_heap_bytes_per_kept_connection_max", Double.isNaN(most) ? null : most);
        f.put("steady_heap_after_any_gc_bytes", Math.round(afterAnyGc));
        f.put(
                "steady_heap_after_any_gc_max_bytes",
                steady.stream().mapToLong(s -> s.heapAfterGcBytes).max().orElse(0));
        f.put("kept_connections", Math.round(kept));
        f.put(
                "heap_bytes_per_kept_connection",
                kept > 0 && r.baselineHeapBytes > 0 ? (heap - r.baselineHeapBytes) / kept : null);
        f.put(
                "heap_after_any_gc_bytes_per_kept_connection",
                kept > 0 && r.baselineHeapBytes > 0
                        ? (afterAnyGc - r.baselineHeapBytes)
                                / steady.stream()
                                        .mapToLong(s -> s.keptConnections)
                                        .average()
                                        .orElse(0)
                        : null);
        SoakRun.Sample first = steady.get(0);
        SoakRun.Sample end = steady.get(steady.size() - 1);
        f.put(
                "steady_eps",
                end.wallSeconds > first.wallSeconds
                        ? (end.rows - first.rows) / (end.wallSeconds - first.wallSeconds)
                        : null);
        f.put(
                "gc_share_steady",
                steady.stream().mapToDouble(s -> s.gcShare).average().orElse(Double.NaN));
        SoakRun.Sample last = all.get(all.size() - 1);
        // The last sample that had the checkpoint statistics (a busy JVM may not answer in time).
        SoakRun.Sample ck =
                all.stream().filter(s -> s.checkpointId > 0).reduce((a, b) -> b).orElse(last);
        f.put("checkpoint_bytes", ck.checkpointBytes);
        f.put("checkpointed_bytes", ck.checkpointedBytes);
        f.put("checkpoint_seconds", ck.checkpointSeconds);
        f.put(
                "checkpoint_bytes_max",
                all.stream().mapToLong(s -> s.checkpointBytes).max().orElse(0));
        f.put(
                "checkpoint_seconds_max",
                all.stream().mapToDouble(s -> s.checkpointSeconds).max().orElse(0));
        f.put("checkpoints_completed", ck.checkpointsCompleted);
        f.put("checkpoints_failed", ck.checkpointsFailed);
        f.put("resident_bytes_max", all.stream().mapToLong(s -> s.residentBytes).max().orElse(-1));
        f.put("alerts", last.alerts);
        f.put("last_checkpoint_failure", last.lastCheckpointFailure);
        return f;
    }

    /**
     * The first sample that saw the last full collection G1 made while the rows flowed (not the
     * forced ones before them), null if it made none.
     */
    static SoakRun.Sample fullGcWhileRunning(List<SoakRun.Sample> samples) {
        if (samples.isEmpty()) {
            return null;
        }
        long forced = samples.get(0).fullGcs;
        SoakRun.Sample at = null;
        long seen = forced;
        for (SoakRun.Sample s : samples) {
            if (s.fullGcs > seen && s.heapAfterFullGcBytes > 0) {
                at = s;
                seen = s.fullGcs;
            }
        }
        return at;
    }

    private static Map<String, Object> settingsOf(BenchOptions o, double steadyFrom) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String k : RUN_OPTIONS) {
            s.put(k, o.get(k));
        }
        for (String k : List.of("soak-backends", "seed")) {
            s.put(k, o.get(k));
        }
        s.put("steady_from_event_minutes", steadyFrom);
        s.put("cores", Runtime.getRuntime().availableProcessors());
        s.put("java", System.getProperty("java.version"));
        return s;
    }

    /**
     * Puts the soak keys into results.json: into the file the default bench wrote (replacing the
     * soak keys of an earlier soak), else into a new one with the headline keys (null).
     */
    static void mergeResults(Path file, Map<String, Object> keys) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> results;
        if (Files.exists(file)) {
            results =
                    json.readValue(
                            file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
        } else {
            results = new LinkedHashMap<>(new Report().json);
        }
        results.keySet().removeIf(k -> k.startsWith("soak_")); // a soak replaces all of them
        results.putAll(keys);
        json.writeValue(file.toFile(), results);
    }

    private static long maxHeap(List<Outcome> outcomes) {
        return outcomes.stream().mapToLong(oc -> oc.result.maxHeapBytes).max().orElse(0);
    }

    private static String title(BenchOptions o) {
        return String.format(
                Locale.ROOT,
                "Soak: %s rows/s of event time, %s indicators, p%s, %s heap per run",
                Report.human(Double.parseDouble(o.get("soak-rate"))),
                Report.human(Double.parseDouble(o.get("soak-indicators"))),
                o.get("soak-parallelism"),
                o.get("soak-heap"));
    }

    /** The table (Markdown, also printed). */
    static String table(List<Outcome> outcomes, BenchOptions o, double steadyFrom) {
        StringBuilder sb = new StringBuilder("| soak | ");
        outcomes.forEach(oc -> sb.append(oc.backend).append(" | "));
        sb.append("\n|---|");
        outcomes.forEach(oc -> sb.append("---|"));
        sb.append('\n');
        row(
                sb,
                outcomes,
                "completed",
                oc -> oc.result.completed ? "yes" : "**no**: " + oc.result.reason);
        row(
                sb,
                outcomes,
                "event time reached",
                oc ->
                        String.format(
                                Locale.ROOT,
                                "%.1f of %s min",
                                oc.result.eventMinutes,
                                o.get("soak-minutes")));
        row(
                sb,
                outcomes,
                "throughput: whole run; steady part",
                oc ->
                        Report.eps(num(oc.figures.get("eps")))
                                + "; "
                                + Report.eps(num(oc.figures.get("steady_eps"))));
        row(
                sb,
                outcomes,
                "heap before the connections (full GC)",
                oc -> Report.bytes(num(oc.figures.get("baseline_heap_bytes"))));
        row(
                sb,
                outcomes,
                "steady heap",
                oc ->
                        Report.bytes(num(oc.figures.get("steady_heap_bytes")))
                                + " ("
                                + oc.figures.get("steady_heap_basis")
                                + ")");
        row(
                sb,
                outcomes,
                "steady heap after any GC, young included (mean; max)",
                oc ->
                        Report.bytes(num(oc.figures.get("steady_heap_after_any_gc_bytes")))
                                + "; "
                                + Report.bytes(
                                        num(oc.figures.get("steady_heap_after_any_gc_max_bytes"))));
        row(
                sb,
                outcomes,
                "kept connections (steady)",
                oc -> count(oc.figures.get("kept_connections")));
        row(
                sb,
                outcomes,
                "heap per kept connection",
                oc -> perConnection(oc.figures.get("heap_bytes_per_kept_connection")));
        row(
                sb,
                outcomes,
                "heap per kept connection after G1's full collections while rows flowed (min; max)",
                oc ->
                        perConnection(oc.figures.get("full_gc_heap_bytes_per_kept_connection_min"))
                                + "; "
                                + perConnection(
                                        oc.figures.get(
                                                "full_gc_heap_bytes_per_kept_connection_max"))
                                + " ("
                                + oc.figures.get("full_gcs_while_running")
                                + " full GCs)");
        row(
                sb,
                outcomes,
                "heap after any GC per kept connection (passive, upper bound)",
                oc -> perConnection(oc.figures.get("heap_after_any_gc_bytes_per_kept_connection")));
        row(
                sb,
                outcomes,
                "last checkpoint: size (uploaded) in duration",
                oc ->
                        num(oc.figures.get("checkpoints_completed")) == 0
                                ? "none"
                                : String.format(
                                        Locale.ROOT,
                                        "%s (%s) in %.1f s",
                                        Report.bytes(num(oc.figures.get("checkpoint_bytes"))),
                                        Report.bytes(num(oc.figures.get("checkpointed_bytes"))),
                                        num(oc.figures.get("checkpoint_seconds"))));
        row(
                sb,
                outcomes,
                "checkpoints completed / failed; longest",
                oc ->
                        String.format(
                                Locale.ROOT,
                                "%s / %s; %.1f s",
                                oc.figures.get("checkpoints_completed"),
                                oc.figures.get("checkpoints_failed"),
                                num(oc.figures.get("checkpoint_seconds_max"))));
        row(
                sb,
                outcomes,
                "GC time (steady)",
                oc ->
                        String.format(
                                Locale.ROOT,
                                "%.0f%%",
                                100 * num(oc.figures.get("gc_share_steady"))));
        row(
                sb,
                outcomes,
                "resident memory (max)",
                oc -> Report.bytes(num(oc.figures.get("resident_bytes_max"))));
        row(sb, outcomes, "alerts", oc -> String.valueOf(oc.figures.get("alerts")));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%nSteady part: samples from %.0f min of event time (L + bound + 1 min) on; "
                                + "goals: heap backend with a 4 GB heap completes 75 min at 10,000 rows/s with a "
                                + "steady heap <= 3 GB; <= 64 B of heap per kept connection.%n",
                        steadyFrom));
        return sb.toString();
    }

    private static void row(
            StringBuilder sb,
            List<Outcome> outcomes,
            String what,
            java.util.function.Function<Outcome, String> value) {
        sb.append("| ").append(what).append(" | ");
        for (Outcome oc : outcomes) {
            String v;
            try {
                v = value.apply(oc);
            } catch (RuntimeException e) {
                v = "n/a";
            }
            sb.append(v).append(" | ");
        }
        sb.append('\n');
    }

    private static String perConnection(Object v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.0f B", num(v));
    }

    private static String count(Object v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%,d", Math.round(num(v)));
    }

    private static double num(Object v) {
        return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
    }
}
