package io.tiflink.vmconn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.DeadLetter;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import io.tiflink.vmconn.model.Match;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Kafka records in and out: rows with their positions, alerts keyed by AlertId, dead letters with
 * headers.
 */
class KafkaRecordFormatsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<InputRecord> read(
            RowParser.Table table, String topic, int partition, long offset, String value) {
        KafkaRecordsDeserializer d = new KafkaRecordsDeserializer(table, 0);
        List<InputRecord> out = new ArrayList<>();
        d.deserialize(
                new ConsumerRecord<>(
                        topic,
                        partition,
                        offset,
                        null,
                        value == null ? null : value.getBytes(StandardCharsets.UTF_8)),
                new Collector<>() {
                    @Override
                    public void collect(InputRecord r) {
                        out.add(r);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    @Test
    void aRecordHoldsOneRowOrAnEnvelopeOfRowsAndBadOnesKeepTheirPosition() {
        List<InputRecord> rows =
                read(
                        RowParser.Table.CONNECTIONS,
                        "vm-connections",
                        1,
                        77,
                        "{\"records\": [{\"TimeGenerated\": \"2026-11-27T10:15:00.1234567Z\", \"RemoteIp\": \"1.2.3.4\"},"
                                + " 17, {\"TimeGenerated\": \"2026-11-27T10:16:00Z\", \"RemoteIp\": \"1.2.3.5\"}]}");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).connection.remoteIp).isEqualTo("1.2.3.4");
        assertThat(rows.get(0).eventTimeMillis())
                .isEqualTo(
                        EventTimes.toMillis(EventTimes.parseNanos("2026-11-27T10:15:00.1234567Z")));
        DeadLetter d = rows.get(1).deadLetter;
        assertThat(d.source).isEqualTo("vm-connections");
        assertThat(d.partition).isEqualTo(1);
        assertThat(d.offset).isEqualTo(77);
        assertThat(d.row).isEqualTo(1);
        assertThat(rows.get(2).connection.remoteIp).isEqualTo("1.2.3.5");

        List<InputRecord> bad =
                read(RowParser.Table.INDICATORS, "ti-indicators", 0, 5, "{\"TimeGenerated\":");
        assertThat(bad)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.deadLetter.input).isEqualTo("indicators");
                            assertThat(new String(r.deadLetter.raw, StandardCharsets.UTF_8))
                                    .isEqualTo("{\"TimeGenerated\":");
                            assertThat(r.deadLetter.position()).isEqualTo("ti-indicators-0@5");
                        });
    }

    @Test
    void aTombstoneOnTheCompactedIndicatorTopicIsNoRowAndNoDeadLetter() {
        assertThat(read(RowParser.Table.INDICATORS, "ti-indicators", 0, 9, null)).isEmpty();
    }

    @Test
    void anAlertIsItsJsonKeyedByItsAlertId() throws Exception {
        Connection c = new Connection();
        c.timeGenerated = EventTimes.parseNanos("2026-11-27T10:15:00.1234567Z");
        c.timeGeneratedDigits = 7;
        c.computer = "vm1.contoso.com";
        c.remoteIp = "203.0.113.7";
        c.destinationPort = "443";
        Indicator i = new Indicator();
        i.indicatorId = "ioc-1";
        i.ip = "203.0.113.7";
        i.networkIp = "203.0.113.7";
        i.expiration = EventTimes.parseNanos("2027-01-01T00:00:00Z");
        Alert a = new Alert();
        a.alertId = "7d9f1c2e-0000-3000-8000-000000000001";
        a.match = Match.of(c, i, c.timeGenerated, 7);
        a.emitMode = "final";

        ProducerRecord<byte[], byte[]> r =
                new KafkaAlertSerializer("ti-alerts").serialize(a, null, 1L);
        assertThat(r.topic()).isEqualTo("ti-alerts");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.alertId);
        JsonNode json = MAPPER.readTree(r.value());
        assertThat(json.get("AlertId").asText()).isEqualTo(a.alertId);
        assertThat(json.get("VMConnection_TimeGenerated").asText())
                .isEqualTo("2026-11-27T10:15:00.1234567Z");
        assertThat(json.get("HostName").asText()).isEqualTo("vm1");
        assertThat(header(r, KafkaAlertSerializer.CONTENT_TYPE_HEADER))
                .isEqualTo("application/json");
    }

    @Test
    void aDeadLetterIsTheRecordUnchangedWithReasonAndPositionInHeadersOrAsJson() throws Exception {
        byte[] raw = "{\"TimeGenerated\": \"yesterday\"}".getBytes(StandardCharsets.UTF_8);
        DeadLetter d =
                DeadLetter.of(
                        "connections",
                        "vm-connections",
                        1,
                        1234,
                        2,
                        "unreadable TimeGenerated",
                        raw);

        ProducerRecord<byte[], byte[]> r =
                new KafkaDeadLetterSerializer("ti-dead-letters", KafkaSettings.DeadLetterFormat.RAW)
                        .serialize(d, null, null);
        assertThat(r.topic()).isEqualTo("ti-dead-letters");
        assertThat(r.value()).isEqualTo(raw);
        assertThat(new String(r.key(), StandardCharsets.UTF_8))
                .isEqualTo("vm-connections-1@1234#2");
        assertThat(header(r, KafkaDeadLetterSerializer.REASON))
                .isEqualTo("unreadable TimeGenerated");
        assertThat(header(r, KafkaDeadLetterSerializer.INPUT)).isEqualTo("connections");
        assertThat(header(r, KafkaDeadLetterSerializer.TOPIC)).isEqualTo("vm-connections");
        assertThat(header(r, KafkaDeadLetterSerializer.PARTITION)).isEqualTo("1");
        assertThat(header(r, KafkaDeadLetterSerializer.OFFSET)).isEqualTo("1234");
        assertThat(header(r, KafkaDeadLetterSerializer.ROW)).isEqualTo("2");

        ProducerRecord<byte[], byte[]> j =
                new KafkaDeadLetterSerializer(
                                "ti-dead-letters", KafkaSettings.DeadLetterFormat.JSON)
                        .serialize(d, null, null);
        JsonNode json = MAPPER.readTree(j.value());
        assertThat(json.get("reason").asText()).isEqualTo("unreadable TimeGenerated");
        assertThat(json.get("source").asText()).isEqualTo("vm-connections");
        assertThat(json.get("partition").asInt()).isEqualTo(1);
        assertThat(json.get("offset").asLong()).isEqualTo(1234);
        assertThat(json.get("raw").asText()).isEqualTo("{\"TimeGenerated\": \"yesterday\"}");
        assertThat(header(j, KafkaDeadLetterSerializer.OFFSET)).isEqualTo("1234");
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
