package io.tiflink.vmconn.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.job.FlinkEnvironments;
import io.tiflink.vmconn.job.KafkaJobConfig;
import io.tiflink.vmconn.kafka.KafkaPipeline;
import io.tiflink.vmconn.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Grafana dashboard (deploy/grafana) against a running job: the Kafka job on a MiniCluster with
 * Flink's Prometheus reporter, fed a little of everything (matching and unusable rows, an
 * unreadable record, a tombstone) until it has alerted and checkpointed; then every metric selector
 * of every query of the dashboard must select a series of the reporter's scrape. The job writes
 * OCSF alerts ({@code --alert-format ocsf}) on the way, read back and checked too.
 */
class GrafanaDashboardIT {

    static final Path DASHBOARD = Path.of("deploy/grafana/ti-ip-vmconnection.json");
    private static final int PROMETHEUS_PORT = freePort();
    private static final Duration TIMEOUT = Duration.ofSeconds(45);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(prometheusReporter())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** Flink's Prometheus reporter on a free port (2.2's reporter listens on all interfaces). */
    private static Configuration prometheusReporter() {
        Configuration conf = new Configuration();
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", Integer.toString(PROMETHEUS_PORT));
        return conf;
    }

    @Test
    void everyMetricTheDashboardQueriesIsOneTheRunningJobExports() throws Exception {
        Map<String, List<PromQueries.Selector>> queries = new LinkedHashMap<>();
        PromQueries.queries(MAPPER.readTree(DASHBOARD.toFile()))
                .forEach((where, expr) -> queries.put(where, PromQueries.selectors(expr)));

        KAFKA.createTopics("ind", 1, "conn", 1, "alerts", 1, "dead", 1);
        KafkaJobConfig config =
                KafkaJobConfig.parse(
                        false,
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--indicators-topic",
                        "ind",
                        "--connections-topic",
                        "conn",
                        "--alerts-topic",
                        "alerts",
                        "--dead-letters-topic",
                        "dead",
                        "--group-id",
                        "dashboard",
                        "--transactional-id-prefix",
                        "dashboard",
                        "--connections-start",
                        "earliest",
                        "--checkpoint-interval",
                        "500ms",
                        "--out-of-orderness",
                        "1s",
                        "--idleness",
                        "1s",
                        "--emit",
                        "first",
                        "--alert-format",
                        "ocsf",
                        "--parallelism",
                        "1");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FlinkEnvironments.baseConfiguration());
        config.applyTo(env);
        KafkaPipeline.define(env, config.kafka, config.detection, config.alertFormat);
        JobClient job = env.executeAsync("dashboard");

        AtomicBoolean stop = new AtomicBoolean();
        Thread feed = new Thread(() -> feed(stop), "dashboard-feed");
        feed.setDaemon(true);
        feed.start();
        List<JsonNode> alerts = new ArrayList<>();
        PrometheusScrape scrape = null;
        Map<String, List<PromQueries.Selector>> missing = queries;
        try (KafkaConsumer<byte[], byte[]> consumer = KAFKA.readCommitted("alerts")) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    alerts.add(MAPPER.readTree(r.value()));
                }
                try {
                    scrape =
                            PrometheusScrape.of("http://localhost:" + PROMETHEUS_PORT + "/metrics");
                } catch (IOException notYet) {
                    continue;
                }
                missing = missing(queries, scrape);
                if (missing.isEmpty()
                        && !alerts.isEmpty()
                        && scrape.value("flink_jobmanager_job_numberOfCompletedCheckpoints") > 0) {
                    break;
                }
            }
        } finally {
            stop.set(true);
            if (scrape != null) {
                Path dump = Path.of("target/grafana-dashboard-it/metrics.txt");
                Files.createDirectories(dump.getParent());
                Files.writeString(dump, scrape.text, StandardCharsets.UTF_8);
            }
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        assertThat(scrape).as("the Prometheus reporter answered").isNotNull();
        assertThat(missing)
                .as(
                        "selectors of the dashboard that select no series of the running job"
                                + " (its scrape: target/grafana-dashboard-it/metrics.txt)")
                .isEmpty();
        assertThat(alerts).as("alerts of the Kafka job").isNotEmpty();
        assertThat(alerts.get(0).path("class_uid").asInt())
                .as("--alert-format ocsf: a Detection Finding")
                .isEqualTo(2004);
    }

    /** What of each query selects nothing in the scrape. */
    private static Map<String, List<PromQueries.Selector>> missing(
            Map<String, List<PromQueries.Selector>> queries, PrometheusScrape scrape) {
        Map<String, List<PromQueries.Selector>> out = new LinkedHashMap<>();
        queries.forEach(
                (where, selectors) -> {
                    List<PromQueries.Selector> none =
                            selectors.stream().filter(s -> !scrape.has(s)).toList();
                    if (!none.isEmpty()) {
                        out.put(where, none);
                    }
                });
        return out;
    }

    /**
     * Rows as the topics would carry them, times near now: indicators (matching ones, one on a
     * private address: skipped, one unreadable record, one tombstone) once; then connections (one
     * to an indicator's address, one without RemoteIp: skipped) every 200 ms until stopped.
     */
    private static void feed(AtomicBoolean stop) {
        try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            send(p, "ind", "i1", indicator("i1", "203.0.113.7", now.minusSeconds(60)));
            send(p, "ind", "i2", indicator("i2", "198.51.100.0/24", now.minusSeconds(60)));
            send(p, "ind", "i3", indicator("i3", "10.1.2.3", now.minusSeconds(60)));
            send(p, "ind", "bad", "not json");
            p.send(new ProducerRecord<>("ind", "gone".getBytes(StandardCharsets.UTF_8), null));
            for (int n = 0; !stop.get(); n++) {
                Instant t = Instant.now();
                send(p, "conn", "vm1", connection(t, n % 2 == 0 ? "203.0.113.7" : "198.51.100.9"));
                send(p, "conn", "vm1", connection(t, ""));
                p.flush();
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stop.get()) {
                throw e;
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, String key, String v) {
        p.send(
                new ProducerRecord<>(
                        topic,
                        key.getBytes(StandardCharsets.UTF_8),
                        v.getBytes(StandardCharsets.UTF_8)));
    }

    private static String indicator(String id, String ip, Instant time) {
        return MAPPER.createObjectNode()
                .put("TimeGenerated", time.toString())
                .put("IndicatorId", id)
                .put("NetworkIP", ip)
                .put("Active", true)
                .put("ExpirationDateTime", time.plus(Duration.ofDays(1)).toString())
                .put("ConfidenceScore", 80)
                .toString();
    }

    private static String connection(Instant time, String remoteIp) {
        return MAPPER.createObjectNode()
                .put("TimeGenerated", time.toString())
                .put("Computer", "vm1.contoso.com")
                .put("Direction", "outbound")
                .put("ProcessName", "curl")
                .put("SourceIp", "10.0.0.4")
                .put("DestinationIp", remoteIp)
                .put("RemoteIp", remoteIp)
                .put("Protocol", "tcp")
                .put("DestinationPort", 443)
                .toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
