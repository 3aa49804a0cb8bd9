package io.tiflink.vmconn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.ip.IpExclusions;
import io.tiflink.vmconn.model.InputRecord;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps ./bench.sh --soak working on tiny sizes: the rows have the shape the soak states, both
 * backends run to the end in JVMs of their own and the results carry the soak keys, and a run whose
 * heap is too small stops by itself, not completed, instead of hanging.
 */
class SoakSmokeIT {

    @TempDir Path out;

    @Test
    void rowsAreVmConnectionRowsOfTheStatedShape() {
        SoakRows rows = new SoakRows(SoakRun.T0, 2000, 50, 100, 0.01, 0.35, 7).open();
        Map<String, Object> shape = rows.describe(3);
        assertThat((long) shape.get("repeated_tuples_in_a_minute")).isZero();
        assertThat((double) shape.get("share_seen_once_in_run")).isBetween(0.33, 0.37);
        assertThat((double) shape.get("share_listed")).isBetween(0.005, 0.015);
        assertThat((double) shape.get("row_bytes_mean")).isBetween(1000.0, 1500.0);

        RowParser parser = new RowParser(RowParser.Table.CONNECTIONS, 0);
        InputRecord[] held = new InputRecord[1];
        Set<String> onceIps = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (long k = 0; k < 240_000; k += 7) {
            byte[] row = rows.row(k);
            parser.parse(row, "soak", 0, k, r -> held[0] = r);
            assertThat(held[0].connection).as("row %d parses as a connection", k).isNotNull();
            long t = held[0].connection.timeGenerated;
            assertThat(t - SoakRun.T0.getEpochSecond() * 1_000_000_000L)
                    .isEqualTo(rows.offsetNanos(k));
            assertThat(t).isGreaterThan(previous);
            previous = t;
            IpAddress ip = IpAddress.parse(held[0].connection.remoteIp);
            assertThat(IpExclusions.defaults().isExcluded(ip)).isFalse();
            if (rows.lastKind == SoakRows.ONCE) {
                assertThat(onceIps.add(held[0].connection.remoteIp)).isTrue();
            }
        }
        Set<Integer> indicators = new HashSet<>();
        for (int k = 0; k < 100_000; k++) {
            assertThat(indicators.add(SoakRows.indicatorIp(k))).isTrue();
        }
    }

    @Test
    void bothBackendsRunAndTheResultsHaveTheSoakKeys() throws Exception {
        Map<String, Object> keys =
                Bench.run(
                        args(
                                // 120,000 rows: a few seconds, several samples (a run of
                                // 24,000 could end on RocksDB between two polls of 200 ms)
                                "--soak-minutes", "10",
                                "--soak-rate", "200",
                                "--soak-indicators", "300",
                                "--soak-computers", "20",
                                "--soak-heap", "512m",
                                "--soak-checkpoint-interval", "2s",
                                "--soak-sample-interval", "1s",
                                "--soak-wall-limit", "4min"),
                        System.out);
        assertThat(keys.get("soak_completed")).isEqualTo(true);

        JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        for (String key : Report.HEADLINE_KEYS) {
            assertThat(r.has(key)).as("results.json has %s", key).isTrue();
        }
        for (String key : List.of("soak_completed_heap", "soak_completed_rocksdb")) {
            assertThat(r.path(key).asBoolean()).as(key).isTrue();
        }
        for (String key :
                List.of(
                        "soak_eps_heap",
                        "soak_eps_rocksdb",
                        "soak_steady_heap_bytes",
                        "soak_heap_bytes_per_kept_connection",
                        "soak_checkpoint_bytes_heap",
                        "soak_checkpoint_bytes_rocksdb")) {
            assertThat(r.path(key).isNumber()).as("%s is a number: %s", key, r.path(key)).isTrue();
        }
        assertThat(r.path("soak_eps_heap").asDouble()).isPositive();
        assertThat(r.path("soak_kept_connections_at_end_heap").asLong()).isEqualTo(120_000);

        JsonNode soak = new ObjectMapper().readTree(out.resolve("soak.json").toFile());
        JsonNode samples = soak.path("runs").path("rocksdb").path("samples");
        assertThat(samples.size()).isGreaterThanOrEqualTo(2);
        JsonNode last = samples.get(samples.size() - 1);
        assertThat(last.path("trigger").asText()).isEqualTo("end");
        assertThat(last.path("keptConnections").asLong()).isEqualTo(120_000);
        assertThat(last.path("checkpointId").asLong()).isPositive();
        assertThat(out.resolve("soak.svg")).content().startsWith("<svg");
        assertThat(out.resolve("soak.md")).content().contains("heap per kept connection");
    }

    @Test
    void aHeapTooSmallStopsTheRunNotCompleted() throws Exception {
        long started = System.nanoTime();
        Map<String, Object> keys =
                Bench.run(
                        args(
                                "--soak-backends", "heap",
                                "--soak-minutes", "30",
                                "--soak-rate", "5000",
                                "--soak-indicators", "300",
                                "--soak-heap", "128m",
                                "--soak-sample-interval", "1s",
                                "--soak-wall-limit", "3min"),
                        System.out);
        assertThat(keys.get("soak_completed")).isEqualTo(false);
        assertThat(keys.get("soak_completed_heap")).isEqualTo(false);
        assertThat(keys.get("soak_completed_rocksdb")).isNull();
        assertThat((String) keys.get("soak_reason_heap")).containsAnyOf("heap", "memory");
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(8 * 60);
    }

    private String[] args(String... soak) {
        List<String> a = new java.util.ArrayList<>(List.of("--soak", "--out", out.toString()));
        a.addAll(List.of(soak));
        return a.toArray(new String[0]);
    }
}
