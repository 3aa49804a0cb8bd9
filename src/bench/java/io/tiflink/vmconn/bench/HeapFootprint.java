package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.match.IndicatorMatcher;
import io.tiflink.vmconn.match.MatcherKeys;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.IndicatorEvent;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.model.KeyedInput;
import io.tiflink.vmconn.rows.IndicatorIps;
import io.tiflink.vmconn.testing.MatcherHarness;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Heap bytes per indicator in the matcher's broadcast state, measured on the real thing: the
 * production {@code IndicatorMatcher} in Flink's operator harness, fed through {@code
 * processBroadcastElement} exactly as the workflow feeds it (rows parsed by RowParser, IP
 * canonicalised as the "Indicator rows" step does). Used heap is read from the MemoryMXBean after
 * full collections, before and after loading N indicators; the difference over N is the cost of one
 * indicator on one matcher task (every task holds the whole set). A class histogram taken the same
 * way (GC.class_histogram, live objects) says where those bytes go.
 *
 * <p>The same for the connections the matcher keeps in keyed state for L (retro-match): fed through
 * {@code processElement} with the watermark not yet past them.
 */
final class HeapFootprint {

    /** One measurement. */
    static final class Figures {
        long count;
        double bytesPerItem;
        long deltaBytes;

        /** Class -> bytes per item, the largest first. */
        Map<String, Double> breakdown = new LinkedHashMap<>();

        double loadSeconds;

        /** Milliseconds of one sweep of the broadcast state (a watermark tick, nothing expired). */
        double sweepMillis = Double.NaN;
    }

    private HeapFootprint() {}

    static Figures indicators(BenchData data, int n, DetectionSettings settings) throws Exception {
        Instant observed = BenchData.T0.minusSeconds(600);
        Instant expires = observed.plusSeconds(30L * 24 * 3600);
        RowParser parser =
                new RowParser(RowParser.Table.INDICATORS, settings.outOfOrdernessNanos());
        Figures f = new Figures();
        f.count = n;
        try (MatcherHarness h = new MatcherHarness(settings)) {
            warmUp(data, Math.min(n, 2000), settings, parser, observed, expires);
            long used0 = usedAfterGc();
            Map<String, long[]> before = histogram();
            long[] stale = before.get(Indicator.class.getName());
            if (stale != null && stale[0] > n / 100) {
                System.err.println(
                        "bench: heap: "
                                + stale[0]
                                + " indicators already on the heap before loading");
            }
            long t = System.nanoTime();
            for (int k = 0; k < n; k++) {
                Indicator row = indicator(parser, data, k, observed, expires, settings);
                h.harness.processBroadcastElement(
                        IndicatorEvent.version(row), EventTimes.toMillis(row.timeGenerated));
            }
            f.loadSeconds = (System.nanoTime() - t) / 1e9;
            long used1 = usedAfterGc();
            Map<String, long[]> after = histogram();
            f.deltaBytes = used1 - used0;
            f.bytesPerItem = (double) f.deltaBytes / n;
            f.breakdown = breakdown(before, after, n);
            int entries = h.broadcastEntries();
            if (entries != 2 * n) {
                throw new IllegalStateException(
                        "broadcast state holds "
                                + entries
                                + " entries for "
                                + n
                                + " indicators, expected "
                                + 2 * n);
            }
            // The sweep the matcher runs once per minute of event time, less often for large sets
            // (IndicatorMatcher.sweepIfDue): ticks that far apart, nothing expires; the median of a
            // few.
            long interval =
                    Math.max(
                            IndicatorMatcher.SWEEP_INTERVAL_MILLIS,
                            n / 1000L * IndicatorMatcher.SWEEP_MILLIS_PER_THOUSAND_INDICATORS);
            long wm = BenchData.T0.toEpochMilli();
            h.watermark(wm);
            h.tick(wm);
            double[] ms = new double[5];
            for (int i = 0; i < ms.length; i++) {
                wm += interval;
                h.watermark(wm);
                long t0 = System.nanoTime();
                h.tick(wm);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            java.util.Arrays.sort(ms);
            f.sweepMillis = ms[ms.length / 2];
        }
        return f;
    }

    /**
     * The same work once on a throw-away harness (in its own frame: nothing of it stays reachable).
     */
    private static void warmUp(
            BenchData data,
            int n,
            DetectionSettings settings,
            RowParser parser,
            Instant observed,
            Instant expires)
            throws Exception {
        try (MatcherHarness warm = new MatcherHarness(settings)) {
            for (int k = 0; k < n; k++) {
                warm.harness.processBroadcastElement(
                        IndicatorEvent.version(
                                indicator(parser, data, k, observed, expires, settings)),
                        0L);
            }
        }
    }

    private static Indicator indicator(
            RowParser parser,
            BenchData data,
            int k,
            Instant observed,
            Instant expires,
            DetectionSettings settings) {
        InputRecord[] r = new InputRecord[1];
        parser.parse(
                data.indicatorRow(k, observed, expires), "bench-indicators", 0, k, x -> r[0] = x);
        Indicator row = r[0].indicator;
        // As the "Indicator rows" step (match.IndicatorRows): SPEC 1.1-1.3.
        IpAddress ip = IpAddress.parse(IndicatorIps.pickColumn(row));
        if (ip == null || settings.exclusions().isExcluded(ip)) {
            throw new IllegalStateException("benchmark indicator without a usable IP: " + row);
        }
        row.ip = ip.canonical();
        return row;
    }

    /** Connections kept by the matcher (keyed state + timers), per connection. */
    static Figures bufferedConnections(BenchData data, int n, DetectionSettings settings)
            throws Exception {
        RowParser parser =
                new RowParser(RowParser.Table.CONNECTIONS, settings.outOfOrdernessNanos());
        Figures f = new Figures();
        f.count = n;
        try (MatcherHarness h = new MatcherHarness(settings)) {
            long used0 = usedAfterGc();
            Map<String, long[]> before = histogram();
            long t = System.nanoTime();
            InputRecord[] r = new InputRecord[1];
            for (int k = 0; k < n; k++) {
                parser.parse(
                        data.connections[k % data.size()],
                        "bench-connections",
                        0,
                        k,
                        x -> r[0] = x);
                Connection c = r[0].connection;
                c.ip = IpAddress.parse(c.remoteIp).canonical(); // as match.ConnectionRows
                h.harness.processElement(
                        KeyedInput.connection(c, MatcherKeys.bucketOf(c.ip)),
                        EventTimes.toMillis(c.timeGenerated));
            }
            f.loadSeconds = (System.nanoTime() - t) / 1e9;
            long used1 = usedAfterGc();
            Map<String, long[]> after = histogram();
            f.deltaBytes = used1 - used0;
            f.bytesPerItem = (double) f.deltaBytes / n;
            f.breakdown = breakdown(before, after, n);
            if (h.keyedStateEntries() == 0) {
                throw new IllegalStateException("no connection was buffered");
            }
        }
        return f;
    }

    static long usedAfterGc() throws InterruptedException {
        var mem = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            System.runFinalization(); // finalizable leftovers of closed harnesses go in the next
            // collection
            Thread.sleep(50);
            long used = mem.getHeapMemoryUsage().getUsed();
            if (Math.abs(last - used) < 64 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }

    /**
     * Live objects by class: name -> {instances, bytes} (the diagnostic command runs a full GC).
     */
    static Map<String, long[]> histogram() {
        Map<String, long[]> out = new HashMap<>();
        try {
            String text =
                    (String)
                            ManagementFactory.getPlatformMBeanServer()
                                    .invoke(
                                            new ObjectName(
                                                    "com.sun.management:type=DiagnosticCommand"),
                                            "gcClassHistogram",
                                            new Object[] {null},
                                            new String[] {String[].class.getName()});
            for (String line : text.split("\n")) {
                String[] p = line.trim().split("\\s+");
                if (p.length >= 4 && p[0].endsWith(":")) {
                    out.put(p[3], new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])});
                }
            }
        } catch (Exception e) {
            // no diagnostic commands on this JVM: no breakdown
        }
        return out;
    }

    private static Map<String, Double> breakdown(
            Map<String, long[]> before, Map<String, long[]> after, long n) {
        List<Map.Entry<String, Long>> deltas = new ArrayList<>();
        after.forEach(
                (cls, a) -> {
                    long[] b = before.getOrDefault(cls, new long[2]);
                    long d = a[1] - b[1];
                    if (d > 0) {
                        deltas.add(
                                Map.entry(
                                        pretty(cls)
                                                + " ("
                                                + String.format("%.2f", (double) (a[0] - b[0]) / n)
                                                + " per item)",
                                        d));
                    }
                });
        deltas.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(10, deltas.size()); i++) {
            out.put(deltas.get(i).getKey(), (double) deltas.get(i).getValue() / n);
        }
        return out;
    }

    private static String pretty(String jvmName) {
        switch (jvmName) {
            case "[B":
                return "byte[]";
            case "[C":
                return "char[]";
            case "[J":
                return "long[]";
            case "[I":
                return "int[]";
            case "[Ljava.lang.Object;":
                return "Object[]";
            default:
                if (jvmName.startsWith("[L") && jvmName.endsWith(";")) {
                    return simple(jvmName.substring(2, jvmName.length() - 1)) + "[]";
                }
                return simple(jvmName);
        }
    }

    private static String simple(String cls) {
        int dot = cls.lastIndexOf('.');
        return dot < 0 ? cls : cls.substring(dot + 1);
    }
}
