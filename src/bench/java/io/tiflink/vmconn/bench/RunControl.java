package io.tiflink.vmconn.bench;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one benchmark job shares with the process that drives it: its rows (by reference: the job
 * runs on a MiniCluster in this JVM, so the sources look the data up here instead of carrying it in
 * the job graph), the gate of the connection source, and what the sinks saw. Functions in the job
 * hold only the run's id.
 */
final class RunControl {

    private static final Map<String, RunControl> RUNS = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    final String id;
    final BenchData data;

    /** Connection rows the source emits (a multiple of its parallelism). */
    final long connectionCount;

    final int indicatorCount;
    final Instant indicatorsObserved;
    final Instant indicatorsExpire;

    /** Latency run: stamp each connection row with the wall clock as it enters the source. */
    final boolean stampNow;

    /** Indicator k's NetworkIP, when not the data's own address k (the ranges run). */
    volatile java.util.function.IntFunction<String> indicatorIps;

    // ---- the gate: rows each connection reader may emit, and an optional pace
    private volatile long allowancePerReader;
    private volatile CompletableFuture<Void> allowanceChanged = new CompletableFuture<>();
    volatile double ratePerReader;
    volatile long paceStartNanos;

    // ---- progress
    final LongAdder connectionsEmitted = new LongAdder();
    final LongAdder indicatorsEmitted = new LongAdder();

    // ---- sinks
    final LongAdder sinkRecords = new LongAdder();
    final AtomicLong endOfInputNanos = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong firstRecordNanos = new AtomicLong(Long.MIN_VALUE);
    final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();

    private RunControl(
            String id,
            BenchData data,
            long connectionCount,
            int indicatorCount,
            Instant indicatorsObserved,
            Instant indicatorsExpire,
            boolean stampNow) {
        this.id = id;
        this.data = data;
        this.connectionCount = connectionCount;
        this.indicatorCount = indicatorCount;
        this.indicatorsObserved = indicatorsObserved;
        this.indicatorsExpire = indicatorsExpire;
        this.stampNow = stampNow;
    }

    static RunControl create(
            String name,
            BenchData data,
            long connectionCount,
            int indicatorCount,
            Instant indicatorsObserved,
            boolean stampNow) {
        String id = name + "-" + IDS.incrementAndGet();
        RunControl r =
                new RunControl(
                        id,
                        data,
                        connectionCount,
                        indicatorCount,
                        indicatorsObserved,
                        indicatorsObserved.plusSeconds(30L * 24 * 3600),
                        stampNow);
        RUNS.put(id, r);
        return r;
    }

    static RunControl get(String id) {
        RunControl r = RUNS.get(id);
        if (r == null) {
            throw new IllegalStateException("no benchmark run " + id + " in this JVM");
        }
        return r;
    }

    /** Indicator row k of this run. */
    byte[] indicatorRow(int k) {
        java.util.function.IntFunction<String> ips = indicatorIps;
        return ips == null
                ? data.indicatorRow(k, indicatorsObserved, indicatorsExpire)
                : data.indicatorRow(k, ips.apply(k), indicatorsObserved, indicatorsExpire);
    }

    /** Forget the run (its rows become garbage once the job is gone). */
    void release() {
        RUNS.remove(id);
    }

    /** Lets each connection reader emit up to this many rows in all. */
    void allow(long perReader) {
        allowancePerReader = perReader;
        CompletableFuture<Void> old = allowanceChanged;
        allowanceChanged = new CompletableFuture<>();
        old.complete(null);
    }

    /** Starts pacing at this many rows per second per reader (latency run). */
    void pace(double perReader) {
        paceStartNanos = System.nanoTime();
        ratePerReader = perReader;
    }

    /**
     * Null when a reader that has emitted {@code emitted} rows may emit the next one now; otherwise
     * a future that completes when it should look again.
     */
    CompletableFuture<Void> blocked(long emitted) {
        CompletableFuture<Void> changed =
                allowanceChanged; // read before the allowance: no lost wake-up
        if (emitted >= allowancePerReader) {
            return changed;
        }
        double rate = ratePerReader;
        if (rate > 0) {
            double due = (System.nanoTime() - paceStartNanos) / 1e9 * rate;
            if (emitted >= due) {
                long waitMicros = Math.max(100, (long) ((emitted + 1 - due) / rate * 1e6));
                return CompletableFuture.runAsync(
                        () -> {},
                        CompletableFuture.delayedExecutor(
                                Math.min(waitMicros, 5_000),
                                java.util.concurrent.TimeUnit.MICROSECONDS));
            }
        }
        return null;
    }

    void endOfInput() {
        long now = System.nanoTime();
        endOfInputNanos.accumulateAndGet(now, Math::max);
    }
}
