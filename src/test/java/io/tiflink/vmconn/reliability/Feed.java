package io.tiflink.vmconn.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiflink.vmconn.reference.SpecReference;
import io.tiflink.vmconn.testing.ScenarioLines;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test's side of Kafka for one job: its four topics (named after a prefix, which is also the
 * job's group and transactional id prefix), a producer that never loses a line (it waits out a
 * broker outage), the lines written in the order the reference reads them, the wall time each was
 * written, and read_committed readers of the outputs.
 *
 * <p>Indicator lines go to the first of two partitions, in order (SPEC 1.5's ties follow arrival
 * order); connection lines round-robin over the connection partitions, so each partition holds a
 * subsequence of the input and nothing becomes late that is not late in the input. With idleness
 * off, every source subtask must have a partition with data: {@link #clocks} writes to all.
 */
final class Feed implements AutoCloseable {

    private final Properties client;
    private final String prefix;
    private final Admin admin;
    private final KafkaProducer<String, String> producer;
    private int connectionPartitions = 2;
    private int nextConnection;

    final List<String> indicatorLines = Collections.synchronizedList(new ArrayList<>());
    final List<String> connectionLines = Collections.synchronizedList(new ArrayList<>());

    /** When each line was handed to the producer (wall clock), by its text. */
    final Map<String, Instant> sentAt = new ConcurrentHashMap<>();

    Feed(Properties client, String prefix) {
        this.client = client;
        this.prefix = prefix;
        this.admin = Admin.create(client);
        Properties p = new Properties();
        p.putAll(client);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        // through a broker outage of minutes: wait, never drop a line
        p.put("delivery.timeout.ms", Long.toString(Duration.ofMinutes(15).toMillis()));
        p.put("request.timeout.ms", "30000");
        p.put("max.block.ms", Long.toString(Duration.ofMinutes(15).toMillis()));
        p.put("max.request.size", "2097152");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    String bootstrapServers() {
        return client.getProperty("bootstrap.servers");
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

    String group() {
        return prefix;
    }

    /** Indicators: two partitions; connections: {@code connectionPartitions}; alerts 2; dead 1. */
    Feed createTopics(int connectionPartitions) throws Exception {
        this.connectionPartitions = connectionPartitions;
        admin.createTopics(
                        List.of(
                                new NewTopic(indicators(), 2, (short) 1),
                                new NewTopic(connections(), connectionPartitions, (short) 1),
                                new NewTopic(alerts(), 2, (short) 1),
                                new NewTopic(deadLetters(), 1, (short) 1)))
                .all()
                .get(60, TimeUnit.SECONDS);
        return this;
    }

    // ---------------------------------------------------------------- writing

    /** An indicator line, keyed by its indicator id; recorded for the reference. */
    RecordMetadata sendIndicator(String line) throws Exception {
        indicatorLines.add(line);
        sentAt.put(line, Instant.now());
        return producer.send(new ProducerRecord<>(indicators(), 0, indicatorKey(line), line))
                .get(15, TimeUnit.MINUTES);
    }

    /** Indicator lines without waiting for each (flushed at the end). */
    void sendIndicators(List<String> lines) {
        for (String line : lines) {
            indicatorLines.add(line);
            sentAt.put(line, Instant.now());
            producer.send(new ProducerRecord<>(indicators(), 0, indicatorKey(line), line));
        }
        producer.flush();
    }

    /** A connection line, to the next partition in turn; does not wait for the broker. */
    void sendConnection(String line) {
        int partition = nextConnection++ % connectionPartitions;
        connectionLines.add(line);
        sentAt.put(line, Instant.now());
        producer.send(new ProducerRecord<>(connections(), partition, null, line));
    }

    void sendConnections(List<String> lines) {
        lines.forEach(this::sendConnection);
        producer.flush();
    }

    /** A line that is no row of the reference's input (a poison record): written, not recorded. */
    RecordMetadata sendUnrecorded(String topic, int partition, String line) throws Exception {
        return producer.send(new ProducerRecord<>(topic, partition, null, line))
                .get(15, TimeUnit.MINUTES);
    }

    void flush() {
        producer.flush();
    }

    /**
     * Rows that move event time to {@code t} on every partition of both inputs and match nothing (a
     * private indicator IP, an empty RemoteIp): every final-mode window before it closes.
     */
    void clocks(Instant t) {
        for (int p = 0; p < 2; p++) {
            ObjectNode i = Reliability.MAPPER.createObjectNode();
            i.put("TimeGenerated", t.toString());
            i.put("IndicatorId", "clock-" + p + "-" + t.getEpochSecond());
            i.put("NetworkIP", "10.255.255." + (p + 1));
            i.put("Active", true);
            i.put("ExpirationDateTime", t.plus(Duration.ofDays(1)).toString());
            indicatorLines.add(i.toString());
            producer.send(new ProducerRecord<>(indicators(), p, null, i.toString()));
        }
        List<String> c = new ArrayList<>();
        for (int p = 0; p < connectionPartitions; p++) {
            ObjectNode r = Reliability.MAPPER.createObjectNode();
            r.put("TimeGenerated", t.plusMillis(p).toString());
            r.put("Computer", "clock.example");
            r.put("RemoteIp", "");
            c.add(r.toString());
        }
        sendConnections(c);
    }

    /**
     * {@link #clocks} two days past the scenario's last rows: every window of the scenario closes.
     */
    void clocksPast(ScenarioInput in) {
        clocks(in.lastTime().plus(Duration.ofDays(2)));
    }

    static String indicatorKey(String line) {
        try {
            var row = ScenarioLines.firstElement(Reliability.MAPPER.readTree(line));
            for (String field : new String[] {"IndicatorId", "Id", "id"}) {
                if (row.get(field) != null && row.get(field).isTextual()) {
                    return row.get(field).textValue();
                }
            }
        } catch (Exception e) {
            // not JSON: no key
        }
        return null;
    }

    // ---------------------------------------------------------------- progress

    /** Whether the job's group has committed (on checkpoints) every offset of both inputs. */
    boolean consumedAndCheckpointed() throws Exception {
        return lag().values().stream().allMatch(l -> l <= 0);
    }

    /** What is left to consume, by partition: end offset - committed offset. */
    Map<String, Long> lag() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        latest.put(new TopicPartition(indicators(), 0), OffsetSpec.latest());
        latest.put(new TopicPartition(indicators(), 1), OffsetSpec.latest());
        for (int p = 0; p < connectionPartitions; p++) {
            latest.put(new TopicPartition(connections(), p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group())
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
        Map<String, Long> out = new TreeMap<>();
        ends.forEach(
                (tp, end) -> {
                    OffsetAndMetadata c = committed.get(tp);
                    out.put(tp.toString(), end.offset() - (c == null ? 0 : c.offset()));
                });
        return out;
    }

    // ---------------------------------------------------------------- reading

    /** A read_committed consumer of a whole topic from the beginning, outside any group. */
    KafkaConsumer<String, String> committedReader(String topic) {
        Properties p = new Properties();
        p.putAll(client);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("max.partition.fetch.bytes", "4194304");
        KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    /**
     * Reads the topic (read_committed) until {@code done} holds for what was read and {@code quiet}
     * passes without more; at most {@code timeout}.
     */
    List<ConsumerRecord<String, String>> readAll(
            String topic,
            Predicate<List<ConsumerRecord<String, String>>> done,
            Duration quiet,
            Duration timeout) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietSince = System.nanoTime();
        try (KafkaConsumer<String, String> c = committedReader(topic)) {
            while (System.nanoTime() < deadline) {
                var batch = c.poll(Duration.ofMillis(300));
                if (!batch.isEmpty()) {
                    batch.forEach(out::add);
                    quietSince = System.nanoTime();
                }
                if (done.test(out) && System.nanoTime() - quietSince > quiet.toNanos()) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The committed dead letters, once there are at least {@code count} and 3 s pass quiet; at most
     * {@code timeout}.
     */
    List<ConsumerRecord<String, String>> readDeadLetters(int count, Duration timeout) {
        return readAll(deadLetters(), r -> r.size() >= count, Duration.ofSeconds(3), timeout);
    }

    /**
     * The reference's alerts for every line written here (the recorded ones) with these settings.
     */
    List<ObjectNode> expectedAlerts(SpecReference.Settings s) {
        return SpecReference.expectedAlerts(indicatorLines, connectionLines, s);
    }

    /** Every committed alert, once all {@code expected} AlertIds are there and 3 s pass quiet. */
    List<ConsumerRecord<String, String>> readAlerts(List<ObjectNode> expected, Duration timeout) {
        java.util.Set<String> want = new java.util.HashSet<>();
        expected.forEach(a -> want.add(a.get("AlertId").asText()));
        return readAll(
                alerts(),
                records -> {
                    java.util.Set<String> got = new java.util.HashSet<>();
                    records.forEach(
                            r -> got.add(Reliability.json(r.value()).path("AlertId").asText()));
                    return got.containsAll(want);
                },
                Duration.ofSeconds(3),
                timeout);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(10));
    }
}
