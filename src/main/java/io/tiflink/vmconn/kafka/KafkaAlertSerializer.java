package io.tiflink.vmconn.kafka;

import io.tiflink.vmconn.alert.AlertFormat;
import io.tiflink.vmconn.alert.AlertJson;
import io.tiflink.vmconn.model.Alert;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An alert as a Kafka record: value = the alert's JSON ({@link AlertJson}, or the OCSF or ECS
 * document {@link AlertFormat} writes), key = its stable AlertId, so that the alerts of one group
 * land in one partition and a consumer (or a compacted topic) can drop duplicates by key.
 */
public class KafkaAlertSerializer implements KafkaRecordSerializationSchema<Alert> {

    private static final long serialVersionUID = 1L;

    public static final String CONTENT_TYPE_HEADER = "content-type";
    private static final byte[] JSON = "application/json".getBytes(StandardCharsets.UTF_8);

    private final String topic;
    private final AlertFormat format;

    public KafkaAlertSerializer(String topic) {
        this(topic, AlertFormat.SENTINEL);
    }

    public KafkaAlertSerializer(String topic, AlertFormat format) {
        this.topic = topic;
        this.format = format;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Alert alert, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CONTENT_TYPE_HEADER, JSON);
        return new ProducerRecord<>(
                topic,
                null,
                null,
                alert.alertId.getBytes(StandardCharsets.UTF_8),
                format.toBytes(alert),
                headers);
    }
}
