package io.tiflink.vmconn.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.config.Durations;
import io.tiflink.vmconn.job.FlinkEnvironments;
import io.tiflink.vmconn.job.KafkaJobConfig;
import io.tiflink.vmconn.reference.SpecReference;
import io.tiflink.vmconn.testing.KafkaBrokerExtension;
import io.tiflink.vmconn.testing.ScenarioLines;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The Kafka job's settings and rows as the Kafka tests use them. */
final class KafkaTestJobs {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private KafkaTestJobs() {}

    /** The four topics, group id and transactional id prefix of one test: unique names. */
    record Names(String prefix) {
        static Names unique(String test) {
            return new Names(test + "-" + COUNTER.incrementAndGet());
        }

        String indicators() {
            return prefix + "-indicators";
        }

        String connections() {
            return prefix + "-connections";
        }

        String alerts() {
            return prefix + "-alerts";
        }

        String deadLetters() {
            return prefix + "-dead-letters";
        }
    }

    /**
     * Command-line arguments of the job for these topics: exactly-once, checkpoints every 500 ms,
     * connections from the earliest offset, idleness off (watermarks driven by data only); more
     * arguments override these.
     */
    static List<String> args(KafkaBrokerExtension kafka, Names n, String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers", kafka.bootstrapServers(),
                                "--indicators-topic", n.indicators(),
                                "--connections-topic", n.connections(),
                                "--alerts-topic", n.alerts(),
                                "--dead-letters-topic", n.deadLetters(),
                                "--group-id", n.prefix(),
                                "--transactional-id-prefix", n.prefix(),
                                "--connections-start", "earliest",
                                "--checkpoint-interval", "500ms",
                                "--idleness", "0",
                                "--parallelism", "2"));
        a.addAll(List.of(more));
        return a;
    }

    /** The detection options for the reference's settings. */
    static List<String> detectionArgs(SpecReference.Settings s) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--window", Durations.format(s.window()),
                                "--lookback", Durations.format(s.lookback()),
                                "--indicator-lookback", Durations.format(s.indicatorLookback()),
                                "--out-of-orderness", Durations.format(s.outOfOrderness()),
                                "--emit", s.emitMode()));
        if (!s.extraExcludedCidrs().isEmpty()) {
            a.add("--exclude");
            a.add(String.join(",", s.extraExcludedCidrs()));
        }
        return a;
    }

    static KafkaJobConfig config(List<String> args) {
        return KafkaJobConfig.parse(false, args.toArray(new String[0]));
    }

    /**
     * The MiniClusterExtension's environment at parallelism 2, restarting quickly after a failure.
     */
    static StreamExecutionEnvironment env() {
        Configuration conf = FlinkEnvironments.baseConfiguration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    // ---------------------------------------------------------------- rows

    /**
     * An indicator row that moves its partition's watermark to {@code time} and is no version (its
     * IP is private: SPEC 1.3 skips it).
     */
    static String indicatorClock(Instant time, int n) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("TimeGenerated", time.toString());
        r.put("IndicatorId", "clock-" + n);
        r.put("NetworkIP", "10.255.255." + (n % 250 + 1));
        r.put("Active", true);
        r.put("ExpirationDateTime", time.plus(Duration.ofDays(1)).toString());
        return r.toString();
    }

    /**
     * A connection row that moves its partition's watermark to {@code time} and matches nothing
     * (empty RemoteIp).
     */
    static String connectionClock(Instant time) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("TimeGenerated", time.toString());
        r.put("Computer", "clock.example");
        r.put("RemoteIp", "");
        return r.toString();
    }

    static String indicator(String id, String ip, String time, String expires) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("TimeGenerated", time);
        r.put("IndicatorId", id);
        r.put("NetworkIP", ip);
        r.put("Active", true);
        r.put("ExpirationDateTime", expires);
        r.put("ThreatType", "C2");
        r.put("ConfidenceScore", "90");
        r.put("Description", "test indicator " + id);
        return r.toString();
    }

    static String connection(String time, String computer, String remoteIp) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("TimeGenerated", time);
        r.put("Computer", computer);
        r.put("Direction", "outbound");
        r.put("ProcessName", "curl");
        r.put("SourceIp", "10.0.0.4");
        r.put("DestinationIp", remoteIp);
        r.put("RemoteIp", remoteIp);
        r.put("Protocol", "tcp");
        r.put("DestinationPort", 443);
        return r.toString();
    }

    /** The greatest TimeGenerated of any row of the lines (envelopes included); null if none. */
    static Instant latestTime(List<String> lines) {
        Instant max = null;
        for (String line : lines) {
            try {
                JsonNode n = MAPPER.readTree(line);
                List<JsonNode> rows = new ArrayList<>();
                if (n != null && n.has("records") && n.get("records").isArray()) {
                    n.get("records").forEach(rows::add);
                } else if (n != null) {
                    rows.add(n);
                }
                for (JsonNode r : rows) {
                    JsonNode t = r.get("TimeGenerated");
                    if (t != null && t.isTextual()) {
                        try {
                            Instant i = java.time.OffsetDateTime.parse(t.textValue()).toInstant();
                            max = max == null || i.isAfter(max) ? i : max;
                        } catch (RuntimeException unreadable) {
                            // not a time
                        }
                    }
                }
            } catch (Exception notJson) {
                // not JSON
            }
        }
        return max;
    }

    /**
     * The indicator id of a line's first element (IndicatorId, Id or a STIX id), when it has one:
     * the record key, so that every record of one indicator goes to one partition.
     */
    static String indicatorKey(String line) {
        try {
            JsonNode row = ScenarioLines.firstElement(MAPPER.readTree(line));
            for (String field : new String[] {"IndicatorId", "Id", "id"}) {
                JsonNode id = row.get(field);
                if (id != null && id.isTextual()) {
                    return id.textValue();
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    static List<ObjectNode> alerts(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        List<ObjectNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.add((ObjectNode) MAPPER.readTree(r.value()));
        }
        return out;
    }
}
