package io.tiflink.vmconn.bench;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.testing.MatcherHarness;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.function.IntFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Ranges against addresses (SPEC 6.4): the whole job's throughput with 10,000 range indicators of
 * mixed prefix lengths beside the same job with 10,000 address indicators, over the same
 * connections (each hit lies in exactly one range, and is exactly one address, so both give the
 * same alerts); and what one indicator row's retro-match costs when connections are kept.
 *
 * <p>Indicator k's address is 46.0.0.0 + 1024 k + 1; its range is the network of that address with
 * a prefix of 23 to 30 bits (k mod 8), so that no two ranges overlap and a connection's lookup
 * visits eight prefix lengths (one for the addresses).
 */
final class RangeBench {

    private RangeBench() {}

    static String address(int k) {
        long v = (46L << 24) + 1024L * k + 1;
        return ((v >>> 24) & 255)
                + "."
                + ((v >>> 16) & 255)
                + "."
                + ((v >>> 8) & 255)
                + "."
                + (v & 255);
    }

    static String range(int k) {
        int prefix = 23 + k % 8;
        long v = ((46L << 24) + 1024L * k) & (0xffff_ffffL << (32 - prefix));
        return ((v >>> 24) & 255)
                + "."
                + ((v >>> 16) & 255)
                + "."
                + ((v >>> 8) & 255)
                + "."
                + (v & 255)
                + "/"
                + prefix;
    }

    /** The data of the ranges runs: hits to the indicators' addresses. */
    static BenchData data(
            int rows, int indicators, double hitRate, int hosts, double eventRate, long seed) {
        return BenchData.generate(
                rows, indicators, hitRate, hosts, eventRate, seed, RangeBench::address);
    }

    /** The whole job at parallelism 1 with the given indicators' NetworkIP. */
    static BenchCluster.Phased throughput(
            BenchCluster cluster,
            BenchData data,
            int rows,
            int indicators,
            IntFunction<String> networkIp,
            DetectionSettings settings,
            double warmup)
            throws Exception {
        RunControl run =
                RunControl.create(
                        "ranges", data, rows, indicators, BenchData.T0.minusSeconds(600), false);
        run.indicatorIps = networkIp;
        StreamExecutionEnvironment env = cluster.env(1);
        BenchJobs.detection(env, run, settings, 1, false);
        return cluster.runPhased("bench ranges " + indicators, env, run, 1, warmup, false);
    }

    /**
     * Microseconds one indicator row's retro-match costs the matcher: {@code kept} connections kept
     * (as the job keeps them, in buckets), then {@code indicators} versions arriving after them,
     * each judged against the connections of the L before it when the watermark passes it.
     */
    static double retroMatchMicrosPerRow(
            BenchData data,
            int kept,
            int indicators,
            IntFunction<String> networkIp,
            DetectionSettings settings,
            PrintStream log)
            throws Exception {
        RowParser connections =
                new RowParser(RowParser.Table.CONNECTIONS, settings.outOfOrdernessNanos());
        RowParser rows = new RowParser(RowParser.Table.INDICATORS, settings.outOfOrdernessNanos());
        try (MatcherHarness h = new MatcherHarness(settings)) {
            InputRecord[] r = new InputRecord[1];
            long last = Long.MIN_VALUE;
            for (int k = 0; k < kept; k++) {
                connections.parse(data.connections[k % data.size()], "bench", 0, k, x -> r[0] = x);
                Connection c = r[0].connection;
                c.ip = IpAddress.parse(c.remoteIp).canonical();
                h.connection(c);
                last = Math.max(last, c.timeGenerated);
            }
            Instant observed = Instant.ofEpochSecond(0, last).plusSeconds(1);
            Indicator[] versions = new Indicator[indicators];
            for (int k = 0; k < indicators; k++) {
                rows.parse(
                        data.indicatorRow(
                                k, networkIp.apply(k), observed, observed.plusSeconds(86_400)),
                        "bench",
                        0,
                        k,
                        x -> r[0] = x);
                Indicator v = r[0].indicator;
                // As the "Indicator rows" step does for a legacy row: SPEC 1.1, 1.2, 6.4a.
                v.ip =
                        v.networkIp.contains("/")
                                ? io.tiflink.vmconn.ip.IpRange.parse(v.networkIp).toString()
                                : IpAddress.parse(v.networkIp).canonical();
                versions[k] = v;
            }
            long t0 = System.nanoTime();
            for (Indicator v : versions) {
                h.indicator(v);
            }
            h.watermark(EventTimes.toMillis(last) + 2_000);
            double micros = (System.nanoTime() - t0) / 1e3 / indicators;
            log.printf(
                    Locale.ROOT,
                    "bench: retro-match: %,d rows against %,d kept connections: %.1f us per row, %,d"
                            + " matches%n",
                    indicators,
                    kept,
                    micros,
                    h.matches().size());
            return micros;
        }
    }
}
