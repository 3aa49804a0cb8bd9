package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.job.FlinkEnvironments;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * One local MiniCluster (one TaskManager, two slots) for every job of the benchmark, and the way
 * each throughput job is driven: the indicators load, a warm-up share of the connections runs, one
 * checkpoint is taken while the connection source is held (its size and duration are the state
 * figures), then the rest of the connections is timed from release to the end of input at the
 * sinks.
 */
final class BenchCluster implements AutoCloseable {

    /** Checkpoints only on demand: an interval no job reaches. */
    private static final long NO_PERIODIC_CHECKPOINTS = TimeUnit.DAYS.toMillis(1);

    private final MiniCluster cluster;
    private final Configuration conf;
    private final PrintStream log;

    BenchCluster(Path checkpointDir, PrintStream log) throws Exception {
        this.log = log;
        conf = FlinkEnvironments.baseConfiguration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("256m")); // RocksDB runs
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
        cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .withRandomPorts()
                                .build());
        cluster.start();
    }

    /** A fresh environment on this cluster (the project's base configuration: no Kryo). */
    StreamExecutionEnvironment env(int parallelism) {
        Configuration jobConf = new Configuration(conf);
        StreamExecutionEnvironment env =
                new TestStreamEnvironment(cluster, jobConf, parallelism, List.of(), List.of());
        env.setParallelism(parallelism);
        env.enableCheckpointing(NO_PERIODIC_CHECKPOINTS, CheckpointingMode.EXACTLY_ONCE);
        return env;
    }

    /**
     * Keyed state in RocksDB with incremental checkpoints, as flink-conf/config.yaml sets it for a
     * cluster (the local commands and the other runs here keep it on the heap).
     */
    static StreamExecutionEnvironment rocksDb(StreamExecutionEnvironment env) {
        Configuration c = new Configuration();
        c.set(org.apache.flink.configuration.StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        env.configure(c);
        return env;
    }

    /** What one phased run measured. */
    static final class Phased {
        String name;
        int parallelism;
        long indicators;
        double indicatorLoadSeconds = Double.NaN;
        long warmupRows;
        long measuredRows;
        double measuredSeconds;
        double eps;
        long sinkRecords;
        Map<String, Object> accumulators = new LinkedHashMap<>();
        CheckpointFigures checkpoint;

        /** With --repeat: the throughput of every run (this one is the median). */
        double[] allEps;

        /**
         * CPU time of the whole process per timed row, microseconds (GC and Flink's own threads
         * included).
         */
        double cpuMicrosPerRow = Double.NaN;

        /**
         * CPU microseconds per timed row by thread (task threads by operator chain; the rest by
         * name).
         */
        Map<String, Double> cpuMicrosPerRowByThread = new LinkedHashMap<>();
    }

    /** Size and duration of the one checkpoint taken, per operator chain too. */
    static final class CheckpointFigures {
        long stateBytes;
        long checkpointedBytes;
        double seconds;
        Map<String, Long> bytesByTask = new LinkedHashMap<>();
    }

    /**
     * Runs a job whose connection source is gated by {@code run}: waits for the indicator source to
     * have emitted everything, lets {@code warmupFraction} of the connections through, takes a
     * checkpoint, then times the rest from release to end of input at the sinks.
     */
    Phased runPhased(
            String name,
            StreamExecutionEnvironment env,
            RunControl run,
            int connectionParallelism,
            double warmupFraction,
            boolean checkpoint)
            throws Exception {
        Phased r = new Phased();
        r.name = name;
        r.parallelism = connectionParallelism;
        r.indicators = run.indicatorCount;
        long perReader = run.connectionCount / connectionParallelism;
        long warmPerReader =
                Math.max(1, Math.min(perReader - 1, (long) (perReader * warmupFraction)));
        r.warmupRows = warmPerReader * connectionParallelism;
        r.measuredRows = run.connectionCount - r.warmupRows;

        long started = System.nanoTime();
        JobClient job = env.executeAsync(name);
        try {
            JobID id = job.getJobID();
            if (run.indicatorCount > 0) {
                awaitCount(
                        job,
                        () -> run.indicatorsEmitted.sum(),
                        run.indicatorCount,
                        "indicator rows");
                r.indicatorLoadSeconds = (System.nanoTime() - started) / 1e9;
            }
            run.allow(warmPerReader);
            awaitCount(job, () -> run.connectionsEmitted.sum(), r.warmupRows, "warm-up rows");
            Thread.sleep(
                    500); // let the last warm-up rows and watermarks settle before the checkpoint
            if (checkpoint) {
                r.checkpoint = checkpoint(id);
            }
            CpuMeter cpu = new CpuMeter(run);
            long t0 = System.nanoTime();
            run.allow(Long.MAX_VALUE);
            JobExecutionResult result;
            try {
                cpu.start();
                result = job.getJobExecutionResult().get();
            } finally {
                cpu.stopMeter();
            }
            long t1 = run.endOfInputNanos.get();
            if (t1 == Long.MIN_VALUE) {
                t1 = System.nanoTime();
            }
            r.cpuMicrosPerRow = cpu.processNanos() / 1e3 / r.measuredRows;
            long[] javaThreads = {0};
            cpu.byThread()
                    .forEach(
                            (k, v) -> {
                                javaThreads[0] += v;
                                double us = v / 1e3 / r.measuredRows;
                                if (us >= 0.05) {
                                    r.cpuMicrosPerRowByThread.put(k, Math.round(us * 100) / 100.0);
                                }
                            });
            r.cpuMicrosPerRowByThread.put(
                    "(GC, JIT and other non-Java threads)",
                    Math.round((cpu.processNanos() - javaThreads[0]) / 1e3 / r.measuredRows * 100)
                            / 100.0);
            r.measuredSeconds = (t1 - t0) / 1e9;
            r.eps = r.measuredRows / r.measuredSeconds;
            r.sinkRecords = run.sinkRecords.sum();
            r.accumulators.putAll(result.getAllAccumulatorResults());
            return r;
        } catch (Exception e) {
            job.cancel();
            throw e;
        } finally {
            run.release();
        }
    }

    private static void awaitCount(
            JobClient job, java.util.function.LongSupplier count, long target, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (count.getAsLong() < target) {
            if (job.getJobStatus().get().isTerminalState()) {
                job.getJobExecutionResult().get(); // throws the job's failure, if any
                throw new IllegalStateException("the job ended before emitting its " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /**
     * CPU time while the timed rows run, read every 50 ms from the ThreadMXBean (a thread's last
     * reading counts once it has ended) until the sinks see the end of input: robust where wall
     * time is not, on a machine shared with other work.
     */
    static final class CpuMeter extends Thread {
        private final RunControl run;
        private final java.lang.management.ThreadMXBean threads =
                java.lang.management.ManagementFactory.getThreadMXBean();
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private final Map<Long, long[]> base = new java.util.HashMap<>();
        private final Map<Long, long[]> last = new java.util.HashMap<>();
        private final Map<Long, String> names = new java.util.HashMap<>();
        private volatile boolean stopped;
        private long process0;
        private long process1 = -1;

        CpuMeter(RunControl run) {
            super("bench-cpu-meter");
            setDaemon(true);
            this.run = run;
            process0 = os.getProcessCpuTime();
            read(base);
        }

        private void read(Map<Long, long[]> into) {
            for (java.lang.management.ThreadInfo ti :
                    threads.getThreadInfo(threads.getAllThreadIds())) {
                if (ti == null) {
                    continue;
                }
                long c = threads.getThreadCpuTime(ti.getThreadId());
                if (c >= 0) {
                    into.put(ti.getThreadId(), new long[] {c});
                    names.putIfAbsent(ti.getThreadId(), ti.getThreadName());
                }
            }
        }

        @Override
        public void run() {
            while (!stopped) {
                synchronized (this) {
                    read(last);
                    if (run.endOfInputNanos.get() != Long.MIN_VALUE && process1 < 0) {
                        process1 = os.getProcessCpuTime();
                        stopped = true;
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        synchronized void stopMeter() {
            stopped = true;
            if (process1 < 0) {
                process1 = os.getProcessCpuTime();
            }
        }

        long processNanos() {
            return process1 - process0;
        }

        /** CPU nanoseconds by thread group since the start. */
        synchronized Map<String, Long> byThread() {
            Map<String, Long> out = new java.util.TreeMap<>();
            last.forEach(
                    (id, c) -> {
                        long b = base.containsKey(id) ? base.get(id)[0] : 0;
                        String name =
                                names.get(id)
                                        .replaceAll(" \\(\\d+/\\d+\\)#\\d+$", "")
                                        .replaceAll("-\\d+$", "-N");
                        out.merge(name, c[0] - b, Long::sum);
                    });
            List<Map.Entry<String, Long>> sorted = new java.util.ArrayList<>(out.entrySet());
            sorted.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
            Map<String, Long> ordered = new LinkedHashMap<>();
            sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
            return ordered;
        }
    }

    /**
     * Triggers one checkpoint and reads its statistics. Retried: a trigger that meets a task of the
     * (bounded) indicator side while it is finishing is declined ("not all required tasks are
     * currently running"); a moment later that task is finished and the checkpoint goes ahead.
     */
    CheckpointFigures checkpoint(JobID id) throws Exception {
        long t = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                t = System.nanoTime();
                cluster.triggerCheckpoint(id).get(10, TimeUnit.MINUTES);
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt >= 20) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
        double wall = (System.nanoTime() - t) / 1e9;
        CheckpointFigures f = new CheckpointFigures();
        for (int attempt = 0; attempt < 100; attempt++) {
            AccessExecutionGraph g = cluster.getExecutionGraph(id).get();
            CompletedCheckpointStats c =
                    g.getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
            if (c != null) {
                f.stateBytes = c.getStateSize();
                f.checkpointedBytes = c.getCheckpointedSize();
                f.seconds = c.getEndToEndDuration() / 1e3;
                for (TaskStateStats ts : c.getAllTaskStateStats()) {
                    var v = g.getJobVertex(ts.getJobVertexId());
                    f.bytesByTask.put(
                            v == null ? ts.getJobVertexId().toString() : v.getName(),
                            ts.getStateSize());
                }
                return f;
            }
            Thread.sleep(50);
        }
        f.seconds = wall;
        log.println("bench: no statistics for the checkpoint; wall time used");
        return f;
    }

    @Override
    public void close() throws Exception {
        cluster.closeAsync().get(1, TimeUnit.MINUTES);
    }
}
