package io.tiflink.vmconn.kafka;

import io.tiflink.vmconn.alert.AlertFormat;
import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.io.InputWatermarks;
import io.tiflink.vmconn.io.MaxAhead;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.DeadLetter;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.DetectionWorkflow;
import io.tiflink.vmconn.workflow.Uids;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Kafka plug: Kafka sources for the two inputs, the workflow, Kafka sinks for alerts and dead
 * letters. The cluster job, the {@code run} command, the demo and the Kafka tests all build the job
 * through {@link #define}.
 *
 * <ul>
 *   <li>Sources: per-partition watermarks from {@link InputWatermarks} (with idleness, so a quiet
 *       partition or a quiet indicator feed never stalls alerts); a row dated further ahead of the
 *       wall clock than {@code --max-ahead} is a dead letter ({@link MaxAhead}). The indicator
 *       topic is read from the earliest offset on a first start (it holds the whole TI set); the
 *       connection topic from the group's committed offsets, else {@code --connections-start}. A
 *       restore continues both from the checkpoint. Offsets are committed to the group on
 *       checkpoints.
 *   <li>Sinks: exactly-once (Kafka transactions committed with each checkpoint) or at-least-once.
 *       Alert key = AlertId. A dead letter too large for its topic is cut to fit ({@link
 *       KafkaDeadLetterSerializer}).
 * </ul>
 */
public final class KafkaPipeline {

    public static final String JOB_NAME = "TI Map IP Entity to VMConnection (Kafka)";

    private KafkaPipeline() {}

    /** Sources, workflow and sinks of the production job, alerts in the rule's columns. */
    public static DetectionWorkflow.Outputs define(
            StreamExecutionEnvironment env, KafkaSettings kafka, DetectionSettings detection) {
        return define(env, kafka, detection, AlertFormat.SENTINEL);
    }

    /** Sources, workflow and sinks of the production job, alerts in the given format. */
    public static DetectionWorkflow.Outputs define(
            StreamExecutionEnvironment env,
            KafkaSettings kafka,
            DetectionSettings detection,
            AlertFormat alertFormat) {
        DataStream<InputRecord> indicators = indicators(env, kafka, detection);
        DataStream<InputRecord> connections = connections(env, kafka, detection);
        DetectionWorkflow.Outputs out =
                DetectionWorkflow.define(indicators, connections, detection);
        sinkAlerts(out.alerts, kafka, alertFormat);
        sinkDeadLetters(out.deadLetters, kafka);
        return out;
    }

    public static DataStream<InputRecord> indicators(
            StreamExecutionEnvironment env, KafkaSettings k, DetectionSettings d) {
        return env.fromSource(
                        indicatorSource(k, d),
                        InputWatermarks.forIndicators(d),
                        "Kafka " + k.indicatorsTopic())
                .uid(Uids.INDICATOR_SOURCE);
    }

    public static DataStream<InputRecord> connections(
            StreamExecutionEnvironment env, KafkaSettings k, DetectionSettings d) {
        return env.fromSource(
                        connectionSource(k, d),
                        InputWatermarks.forConnections(d),
                        "Kafka " + k.connectionsTopic())
                .uid(Uids.CONNECTION_SOURCE);
    }

    /**
     * The indicator topic, from the earliest offset on a first start: it holds the whole TI set.
     */
    public static KafkaSource<InputRecord> indicatorSource(KafkaSettings k, DetectionSettings d) {
        return source(
                k,
                k.indicatorsTopic(),
                RowParser.Table.INDICATORS,
                OffsetsInitializer.earliest(),
                d,
                "-indicators");
    }

    /**
     * The connection topic, from the group's committed offsets, else {@code --connections-start}.
     */
    public static KafkaSource<InputRecord> connectionSource(KafkaSettings k, DetectionSettings d) {
        return source(
                k,
                k.connectionsTopic(),
                RowParser.Table.CONNECTIONS,
                k.connectionsStart(),
                d,
                "-connections");
    }

    private static KafkaSource<InputRecord> source(
            KafkaSettings k,
            String topic,
            RowParser.Table table,
            OffsetsInitializer start,
            DetectionSettings d,
            String suffix) {
        return sourceBuilder(k, topic, suffix)
                .setStartingOffsets(start)
                .setDeserializer(
                        new KafkaRecordsDeserializer(
                                new RowParser(
                                        table,
                                        d.outOfOrdernessNanos(),
                                        // a live input: no real row is from the future
                                        MaxAhead.ofWallClock(d.maxAheadMillis()))))
                .build();
    }

    /**
     * A source of one topic with the job's client settings; the caller sets offsets and the
     * deserializer.
     */
    public static KafkaSourceBuilder<InputRecord> sourceBuilder(
            KafkaSettings k, String topic, String clientIdSuffix) {
        return KafkaSource.<InputRecord>builder()
                .setProperties(k.consumerProperties())
                .setBootstrapServers(k.bootstrapServers())
                .setGroupId(k.groupId())
                .setClientIdPrefix(k.groupId() + clientIdSuffix)
                .setTopics(topic);
    }

    public static void sinkAlerts(DataStream<Alert> alerts, KafkaSettings k) {
        sinkAlerts(alerts, k, AlertFormat.SENTINEL);
    }

    public static void sinkAlerts(DataStream<Alert> alerts, KafkaSettings k, AlertFormat format) {
        alerts.sinkTo(sink(k, new KafkaAlertSerializer(k.alertsTopic(), format), "-alerts"))
                .name("Kafka " + k.alertsTopic())
                .uid(Uids.ALERT_SINK);
    }

    public static void sinkDeadLetters(DataStream<DeadLetter> deadLetters, KafkaSettings k) {
        deadLetters
                .sinkTo(sink(k, KafkaDeadLetterSerializer.of(k), "-dead-letters"))
                .name("Kafka " + k.deadLettersTopic())
                .uid(Uids.DEAD_LETTER_SINK);
    }

    private static <T> KafkaSink<T> sink(
            KafkaSettings k, KafkaRecordSerializationSchema<T> serializer, String suffix) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(k.producerProperties())
                .setBootstrapServers(k.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(k.delivery())
                // Each sink needs its own prefix: transactions are fenced by id.
                .setTransactionalIdPrefix(k.transactionalIdPrefix() + suffix)
                .build();
    }
}
