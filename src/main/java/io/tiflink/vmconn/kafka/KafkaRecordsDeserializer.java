package io.tiflink.vmconn.kafka;

import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.workflow.HandOff;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads Kafka records of one input (SPEC 5): a record holds one row or an envelope of rows; {@link
 * RowParser} turns it into rows or dead letters, with the topic, partition and offset as the
 * position. Never throws on bad input. A tombstone (null value: a key deleted from a compacted
 * indicator topic) is no row; it is counted ({@code tombstones}) and skipped.
 */
public class KafkaRecordsDeserializer implements KafkaRecordDeserializationSchema<InputRecord> {

    private static final long serialVersionUID = 1L;

    private final RowParser parser;
    private transient Counter tombstones;

    public KafkaRecordsDeserializer(RowParser parser) {
        this.parser = parser;
    }

    public KafkaRecordsDeserializer(RowParser.Table table, long outOfOrdernessNanos) {
        this(new RowParser(table, outOfOrdernessNanos));
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        tombstones = context.getMetricGroup().counter("tombstones");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<InputRecord> out) {
        if (record.value() == null) {
            if (tombstones != null) {
                tombstones.inc();
            }
            return;
        }
        parser.parse(
                record.value(), record.topic(), record.partition(), record.offset(), out::collect);
    }

    @Override
    public TypeInformation<InputRecord> getProducedType() {
        return HandOff.of(InputRecord.class);
    }
}
