package io.tiflink.vmconn.kafka;

import io.tiflink.vmconn.io.DeadLetterJson;
import io.tiflink.vmconn.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A dead letter (SPEC 5.3) as a Kafka record. Format {@code raw}: the value is the record exactly
 * as it arrived (or, for a bad row inside an envelope, that row), so it can be fixed and
 * re-published as is. Format {@code json}: the value is {@link DeadLetterJson}'s object. Either way
 * the headers say why and where from, and the key is the position text ({@code
 * topic-partition@offset[#row]}).
 */
public class KafkaDeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final String REASON = "dlq.reason";
    public static final String INPUT = "dlq.input";
    public static final String TOPIC = "dlq.topic";
    public static final String PARTITION = "dlq.partition";
    public static final String OFFSET = "dlq.offset";

    /** Index of the bad row inside an envelope; absent when the whole record was unreadable. */
    public static final String ROW = "dlq.row";

    private final String topic;
    private final KafkaSettings.DeadLetterFormat format;

    public KafkaDeadLetterSerializer(String topic, KafkaSettings.DeadLetterFormat format) {
        this.topic = topic;
        this.format = format;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter d, KafkaSinkContext context, Long timestamp) {
        RecordHeaders h = new RecordHeaders();
        add(h, REASON, d.reason);
        add(h, INPUT, d.input);
        add(h, TOPIC, d.source);
        if (d.partition >= 0) {
            add(h, PARTITION, Integer.toString(d.partition));
        }
        add(h, OFFSET, Long.toString(d.offset));
        if (d.row >= 0) {
            add(h, ROW, Integer.toString(d.row));
        }
        byte[] value =
                format == KafkaSettings.DeadLetterFormat.JSON
                        ? DeadLetterJson.toJson(d).getBytes(StandardCharsets.UTF_8)
                        : d.raw == null ? new byte[0] : d.raw;
        return new ProducerRecord<>(
                topic, null, null, d.position().getBytes(StandardCharsets.UTF_8), value, h);
    }

    private static void add(RecordHeaders h, String key, String value) {
        if (value != null) {
            h.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
