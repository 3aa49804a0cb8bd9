package io.tiflink.vmconn.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.model.EventTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test's side of Kafka: creates the topics, writes input lines to them in an order that keeps
 * what the SPEC's result depends on, reads the alerts as a read_committed consumer, and tells when
 * the job has consumed and checkpointed everything written.
 *
 * <p>Partitions: each input topic has {@link #PARTITIONS}, so every source subtask has a split at
 * parallelism 1 and 2 (and the job may run with idleness off). Indicator records are keyed by
 * IndicatorId; every line naming an indicator goes to the same partition as every other line naming
 * it (lines that are envelopes tie their indicators together), so each indicator's versions keep
 * their arrival order (SPEC 1.5's ties). Connections are spread by RemoteIp: a partition's rows are
 * a subsequence of the input, so none is further behind its partition's maximum than the input
 * allows.
 */
final class KafkaFeed implements AutoCloseable {

    static final int PARTITIONS = 2;
    static final String INDICATORS = "ti-indicators";
    static final String CONNECTIONS = "vm-connections";
    static final String ALERTS = "ti-alerts";
    static final String DEAD_LETTERS = "ti-dead-letters";
    static final String GROUP = "ti-ip-vmconnection";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String bootstrap;
    private final Admin admin;
    private final KafkaProducer<String, String> producer;
    private final Map<String, Integer> indicatorPartition = new HashMap<>();

    KafkaFeed(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties a = new Properties();
        a.put("bootstrap.servers", bootstrap);
        this.admin = Admin.create(a);
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    void createTopics() throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String t : List.of(INDICATORS, CONNECTIONS, ALERTS, DEAD_LETTERS)) {
            topics.add(new NewTopic(t, PARTITIONS, (short) 1));
        }
        admin.createTopics(topics).all().get();
    }

    // ---------------------------------------------------------------- partitioning of the inputs

    /** Decides each indicator's partition from all the indicator lines the test will write. */
    void planIndicators(List<String> allIndicatorLines) {
        Map<String, String> parent = new HashMap<>();
        for (String line : allIndicatorLines) {
            List<String> ids = indicatorIds(line);
            for (String id : ids) {
                parent.putIfAbsent(id, id);
            }
            for (int i = 1; i < ids.size(); i++) {
                union(parent, ids.get(0), ids.get(i));
            }
        }
        Map<String, String> smallest = new HashMap<>();
        for (String id : parent.keySet()) {
            smallest.merge(find(parent, id), id, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        for (String id : parent.keySet()) {
            indicatorPartition.put(
                    id, Math.floorMod(smallest.get(find(parent, id)).hashCode(), PARTITIONS));
        }
    }

    private static String find(Map<String, String> parent, String x) {
        while (!parent.get(x).equals(x)) {
            parent.put(x, parent.get(parent.get(x)));
            x = parent.get(x);
        }
        return x;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }

    void sendIndicators(List<String> lines) {
        for (String line : lines) {
            List<String> ids = indicatorIds(line);
            String key = ids.isEmpty() ? null : ids.get(0);
            int partition =
                    key == null
                            ? Math.floorMod(line.hashCode(), PARTITIONS)
                            : indicatorPartition.get(key);
            producer.send(new ProducerRecord<>(INDICATORS, partition, key, line));
        }
        producer.flush();
    }

    void sendConnections(List<String> lines) {
        for (String line : lines) {
            JsonNode first = firstRow(line);
            String ip = first == null ? null : first.path("RemoteIp").asText(null);
            int partition = Math.floorMod((ip == null ? line : ip).hashCode(), PARTITIONS);
            producer.send(new ProducerRecord<>(CONNECTIONS, partition, null, line));
        }
        producer.flush();
    }

    /** The trailer's addresses (TEST-NET-1): no scenario line may name them. */
    static final String TRAILER_NET = "192.0.2.";

    /**
     * Lines, one per partition of each input, that move event time {@code after} the data: the
     * watermark then passes every window, so final-mode alerts are all emitted. They match nothing.
     * Written with {@link #sendTrailer}; the oracle gets them too.
     */
    static Trailer trailer(Instant after) {
        List<String> indicators = new ArrayList<>();
        List<String> connections = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            Instant t = after.plusSeconds(p);
            ObjectNode i = MAPPER.createObjectNode();
            i.put("TimeGenerated", t.toString());
            i.put("IndicatorId", "trailer-indicator-" + p);
            i.put("NetworkIP", "192.0.2.20" + p);
            i.put("Active", true);
            i.put("ExpirationDateTime", t.plus(Duration.ofDays(30)).toString());
            i.put("Description", "moves event time forward; never matches");
            indicators.add(i.toString());
            ObjectNode c = MAPPER.createObjectNode();
            c.put("TimeGenerated", t.toString());
            c.put("Computer", "trailer.contoso.com");
            c.put("RemoteIp", "192.0.2.10" + p);
            c.put("Direction", "outbound");
            connections.add(c.toString());
        }
        return new Trailer(indicators, connections);
    }

    record Trailer(List<String> indicatorLines, List<String> connectionLines) {}

    void sendTrailer(Trailer t) {
        for (int p = 0; p < PARTITIONS; p++) {
            producer.send(
                    new ProducerRecord<>(
                            INDICATORS, p, "trailer-indicator-" + p, t.indicatorLines().get(p)));
            producer.send(new ProducerRecord<>(CONNECTIONS, p, null, t.connectionLines().get(p)));
        }
        producer.flush();
    }

    // ---------------------------------------------------------------- progress

    /**
     * Whether the job's group has committed (on a completed checkpoint) every offset of both
     * inputs.
     */
    boolean inputsConsumedAndCheckpointed() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String t : List.of(INDICATORS, CONNECTIONS)) {
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(t, p), OffsetSpec.latest());
            }
        }
        var ends = admin.listOffsets(latest).all().get();
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
                return false;
            }
        }
        return true;
    }

    /** What is left to consume, for messages: partition -> end - committed. */
    Map<String, Long> lag() throws Exception {
        Map<String, Long> out = new TreeMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String t : List.of(INDICATORS, CONNECTIONS)) {
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(t, p), OffsetSpec.latest());
            }
        }
        var ends = admin.listOffsets(latest).all().get();
        var committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        ends.forEach(
                (tp, end) -> {
                    OffsetAndMetadata c = committed.get(tp);
                    out.put(tp.toString(), end.offset() - (c == null ? 0 : c.offset()));
                });
        return out;
    }

    // ---------------------------------------------------------------- output

    /** A read_committed consumer of a whole topic, from the beginning, outside any group. */
    KafkaConsumer<String, String> committedReader(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            parts.add(new TopicPartition(topic, i));
        }
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    /** Every record a read_committed consumer of the topic gets, in order per partition. */
    static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> c, Duration d) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        c.poll(d).forEach(out::add);
        return out;
    }

    // ---------------------------------------------------------------- lines

    /**
     * The greatest TimeGenerated (epoch nanos) among a line's rows; empty when none is readable.
     */
    static java.util.OptionalLong time(String line) {
        long max = Long.MIN_VALUE;
        for (JsonNode row : rows(line)) {
            long t = EventTimes.parseNanos(row.path("TimeGenerated").asText(null));
            if (t != EventTimes.UNREADABLE) {
                max = Math.max(max, t);
            }
        }
        return max == Long.MIN_VALUE
                ? java.util.OptionalLong.empty()
                : java.util.OptionalLong.of(max);
    }

    /**
     * Where to cut a list of lines (in arrival order) at event time {@code t}: the index of the
     * first line after which the input's greatest TimeGenerated so far exceeds t. Lines before it
     * are the input "up to t" as a stream would have delivered it.
     */
    static int cut(List<String> lines, long tNanos) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            var t = time(lines.get(i));
            if (t.isPresent()) {
                max = Math.max(max, t.getAsLong());
            }
            if (max > tNanos) {
                return i;
            }
        }
        return lines.size();
    }

    /**
     * How far behind the greatest TimeGenerated before it any row of an input (in arrival order)
     * is, among the rows the job gives an event time: a readable TimeGenerated and, for indicators
     * ({@code idField} "IndicatorId"), an id (the rest are dead letters, which never move a
     * watermark).
     */
    static Duration maxLateness(List<String> lines, String idField) {
        long max = Long.MIN_VALUE;
        long worst = 0;
        for (String line : lines) {
            for (JsonNode row : rows(line)) {
                long t = EventTimes.parseNanos(row.path("TimeGenerated").asText(null));
                if (t == EventTimes.UNREADABLE
                        || idField != null
                                && (!row.path(idField).isTextual()
                                        || row.path(idField).asText().isBlank())) {
                    continue;
                }
                if (max != Long.MIN_VALUE) {
                    worst = Math.max(worst, max - t);
                }
                max = Math.max(max, t);
            }
        }
        return Duration.ofNanos(worst);
    }

    /** The connection times' quantile q, epoch nanos. */
    static long quantile(List<String> lines, double q) {
        List<Long> times = new ArrayList<>();
        lines.forEach(l -> time(l).ifPresent(times::add));
        times.sort(null);
        return times.get((int) Math.min(times.size() - 1, Math.floor(q * times.size())));
    }

    private static List<JsonNode> rows(String line) {
        try {
            JsonNode n = MAPPER.readTree(line);
            List<JsonNode> out = new ArrayList<>();
            if (n != null && n.isObject() && n.has("records") && n.get("records").isArray()) {
                n.get("records")
                        .forEach(
                                r -> {
                                    if (r.isObject()) {
                                        out.add(r);
                                    }
                                });
            } else if (n != null && n.isObject()) {
                out.add(n);
            }
            return out;
        } catch (Exception e) {
            return List.of();
        }
    }

    private static JsonNode firstRow(String line) {
        List<JsonNode> r = rows(line);
        return r.isEmpty() ? null : r.get(0);
    }

    private static List<String> indicatorIds(String line) {
        TreeSet<String> seen = new TreeSet<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode row : rows(line)) {
            JsonNode id = row.get("IndicatorId");
            if (id != null && id.isTextual() && !id.asText().isBlank() && seen.add(id.asText())) {
                ids.add(id.asText());
            }
        }
        return ids;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(10));
    }
}
