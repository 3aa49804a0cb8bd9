package io.tiflink.vmconn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.demo.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps ./bench.sh working: every part of the benchmark (plain parse, parse-only and whole-job runs
 * at p1 and p2, the SQL peer, RocksDB, scaling, heap footprint, latency, Kafka) end to end on tiny
 * sizes, and the results written with every headline key. An IT so that `mvn verify` runs it after
 * `package`, which puts the Kafka broker's jars in place; without them the Kafka part is skipped.
 */
class BenchSmokeIT {

    @TempDir Path out;

    @Test
    void everyPartRunsAndTheResultsHaveEveryHeadlineKey() throws Exception {
        boolean kafka = Files.isDirectory(LocalKafkaBroker.libDirectory());
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--connections",
                                "6000",
                                "--indicators",
                                "300",
                                "--hit-rate",
                                "0.02",
                                "--plain-seconds",
                                "0.5",
                                "--scale",
                                "300,1200",
                                "--jvm-warmup-rows",
                                "0",
                                "--warmup",
                                "0.3",
                                "--heap-connections",
                                "1000",
                                "--latency-seconds",
                                "2",
                                "--latency-rate",
                                "1500",
                                "--latency-runs",
                                "100ms:rocksdb",
                                "--rocksdb-connections",
                                "2000",
                                "--kafka-connections",
                                "6000",
                                "--out",
                                out.toString()));
        if (!kafka) {
            args.addAll(List.of("--skip", "kafka"));
        }
        Bench.run(args.toArray(new String[0]), System.out);

        JsonNode r = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        for (String key : Report.HEADLINE_KEYS) {
            assertThat(r.has(key)).as("results.json has %s", key).isTrue();
        }
        List<String> positive =
                new ArrayList<>(
                        List.of(
                                "job_eps_p1",
                                "job_eps_p2",
                                "parse_only_eps_p1",
                                "parse_only_eps_p2",
                                "plain_parse_eps",
                                "sql_peer_eps_p1",
                                "latency_p50_ms_first",
                                "latency_p99_ms_first",
                                "eps_largest_over_smallest",
                                "checkpoint_seconds_1200",
                                "checkpoint_bytes_1200",
                                "cpu_us_per_row_job_p1",
                                "job_eps_p1_rocksdb",
                                "sql_peer_eps_p1_rocksdb"));
        if (kafka) {
            positive.add("kafka_eps");
        }
        for (String key : positive) {
            assertThat(r.path(key).isNumber()).as("%s is a number: %s", key, r.path(key)).isTrue();
            assertThat(r.path(key).asDouble()).as(key).isPositive();
        }
        // Heap figures on a few hundred items are noise, but they are written.
        for (String key :
                List.of(
                        "heap_bytes_per_indicator_1200",
                        "heap_bytes_per_buffered_connection",
                        "sweep_ms_1200")) {
            assertThat(r.path(key).isNumber()).as("%s is a number: %s", key, r.path(key)).isTrue();
        }
        assertThat(r.path("sql_peer_alerts_match_job").asBoolean())
                .as("SQL peer gives the job's alert count")
                .isTrue();
        assertThat(r.path("job_alerts_p1").asLong())
                .isEqualTo(r.path("job_alerts_p2").asLong())
                .isPositive();
        if (kafka) {
            assertThat(r.path("kafka_alerts_in_topic").asLong())
                    .isEqualTo(r.path("job_alerts_p1").asLong());
        }
        assertThat(out.resolve("results.md")).content().contains("Whole job, p1");
        assertThat(out.resolve("throughput-vs-indicators.svg")).content().startsWith("<svg");
    }
}
