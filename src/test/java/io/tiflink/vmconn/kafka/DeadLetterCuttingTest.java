package io.tiflink.vmconn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiflink.vmconn.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A dead letter never exceeds what its topic takes: a record just under the source topic's limit,
 * plus the job's key and headers, is cut to fit and marked, instead of failing the sink at every
 * restart.
 */
class DeadLetterCuttingTest {

    /** A broker's default message.max.bytes, the limit of every topic that does not set its own. */
    private static final int BROKER_DEFAULT = 1_048_588;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static DeadLetter letter(byte[] raw, String reason) {
        return DeadLetter.of("connections", "vm-connections", 3, 123456789L, -1, reason, raw);
    }

    /** A record of {@code size} bytes, as large as the source topic took it. */
    private static byte[] record(int size, char fill) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) fill);
        byte[] head = "{\"Computer\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    /** What the record takes on the broker, at most: Kafka's own estimate for one record. */
    private static int sizeOnTheBroker(ProducerRecord<byte[], byte[]> r) {
        return AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE,
                r.key(),
                r.value(),
                r.headers().toArray());
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaDeadLetterSerializer serializer(
            KafkaSettings.DeadLetterFormat format, int topicMax, int maxRequestSize) {
        return new KafkaDeadLetterSerializer(
                "ti-dead-letters", format, topic -> topicMax, maxRequestSize);
    }

    @ParameterizedTest
    @EnumSource(KafkaSettings.DeadLetterFormat.class)
    void aRecordJustUnderTheSourceTopicsLimitIsCutToFitTheDeadLetterTopicAndMarked(
            KafkaSettings.DeadLetterFormat format) {
        // What the source topic took: its limit less the batch and record framing.
        byte[] raw = record(BROKER_DEFAULT - 100, 'x');
        KafkaDeadLetterSerializer s =
                serializer(
                        format,
                        BROKER_DEFAULT,
                        KafkaDeadLetterSerializer.DEFAULT_MAX_REQUEST_SIZE * 2);
        ProducerRecord<byte[], byte[]> r = s.serialize(letter(raw, "not JSON: ..."), null, null);
        assertThat(sizeOnTheBroker(r)).isLessThanOrEqualTo(BROKER_DEFAULT);
        assertThat(header(r, KafkaDeadLetterSerializer.CUT))
                .isEqualTo(Integer.toString(raw.length));
        assertThat(header(r, KafkaDeadLetterSerializer.REASON)).isEqualTo("not JSON: ...");
        assertThat(header(r, KafkaDeadLetterSerializer.OFFSET)).isEqualTo("123456789");
        if (format == KafkaSettings.DeadLetterFormat.RAW) {
            assertThat(r.value().length).isGreaterThan(BROKER_DEFAULT - 2_000);
            assertThat(Arrays.copyOf(raw, r.value().length))
                    .as("the record's first bytes")
                    .isEqualTo(r.value());
        } else {
            JsonNode j = readTree(r.value());
            assertThat(j.get("cut").asBoolean()).isTrue();
            assertThat(j.get("rawBytes").asInt()).isEqualTo(raw.length);
            assertThat(j.get("raw").asText()).startsWith("{\"Computer\":\"xxx");
            assertThat(j.get("reason").asText()).isEqualTo("not JSON: ...");
        }
    }

    @Test
    void theProducersMaxRequestSizeBoundsItToo() {
        byte[] raw = record(200_000, 'y');
        ProducerRecord<byte[], byte[]> r =
                serializer(KafkaSettings.DeadLetterFormat.RAW, BROKER_DEFAULT, 65_536)
                        .serialize(letter(raw, "row without TimeGenerated"), null, null);
        assertThat(sizeOnTheBroker(r)).isLessThanOrEqualTo(65_536);
        assertThat(header(r, KafkaDeadLetterSerializer.CUT)).isEqualTo("200000");
    }

    @Test
    void aDeadLetterThatFitsIsWrittenWhole() {
        byte[] raw = record(50_000, 'z');
        ProducerRecord<byte[], byte[]> r =
                serializer(KafkaSettings.DeadLetterFormat.RAW, BROKER_DEFAULT, 1_048_576)
                        .serialize(letter(raw, "row without TimeGenerated"), null, null);
        assertThat(r.value()).isEqualTo(raw);
        assertThat(header(r, KafkaDeadLetterSerializer.CUT)).isNull();
    }

    @Test
    void aCutNeverSplitsAUtf8Character() {
        byte[] raw = "é".repeat(100_000).getBytes(StandardCharsets.UTF_8); // 2 bytes each
        for (int limit = 20_000; limit < 20_008; limit++) {
            ProducerRecord<byte[], byte[]> r =
                    serializer(KafkaSettings.DeadLetterFormat.RAW, limit, 1_048_576)
                            .serialize(letter(raw, "r"), null, null);
            String text = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(text).matches("é+");
            assertThat(r.value().length % 2).isZero();
        }
    }

    @Test
    void jsonEscapesAreCountedWhenCutting() {
        byte[] raw = new byte[300_000]; // NUL bytes: six bytes each as JSON (\u0000)
        ProducerRecord<byte[], byte[]> r =
                serializer(KafkaSettings.DeadLetterFormat.JSON, 100_000, 1_048_576)
                        .serialize(letter(raw, "not JSON"), null, null);
        assertThat(sizeOnTheBroker(r)).isLessThanOrEqualTo(100_000);
        assertThat(readTree(r.value()).get("rawBytes").asInt()).isEqualTo(300_000);
    }

    @Test
    void aLongReasonIsShortenedInTheHeader() {
        String reason = "unreadable: " + "q".repeat(5_000);
        ProducerRecord<byte[], byte[]> r =
                new KafkaDeadLetterSerializer("t", KafkaSettings.DeadLetterFormat.RAW)
                        .serialize(letter(new byte[10], reason), null, null);
        assertThat(header(r, KafkaDeadLetterSerializer.REASON))
                .hasSize(KafkaDeadLetterSerializer.MAX_REASON_CHARS + 3)
                .endsWith("...");
    }

    @Test
    void whenTheBrokerCannotSayTheTopicsLimitTheFallbackHoldsAndTheBrokerIsAskedOnce() {
        AtomicInteger asked = new AtomicInteger();
        KafkaDeadLetterSerializer s =
                new KafkaDeadLetterSerializer(
                        "t",
                        KafkaSettings.DeadLetterFormat.RAW,
                        topic -> {
                            asked.incrementAndGet();
                            throw new IllegalStateException("not authorized");
                        },
                        1_048_576);
        for (int i = 0; i < 3; i++) {
            ProducerRecord<byte[], byte[]> r =
                    s.serialize(letter(record(1_040_000, 'w'), "r"), null, null);
            assertThat(sizeOnTheBroker(r))
                    .isLessThanOrEqualTo(KafkaDeadLetterSerializer.FALLBACK_MAX_BYTES);
        }
        assertThat(asked).hasValue(1);
    }

    @Test
    void theTopicsOwnLimitIsAskedOnceAndKept() {
        AtomicInteger asked = new AtomicInteger();
        KafkaDeadLetterSerializer s =
                new KafkaDeadLetterSerializer(
                        "t",
                        KafkaSettings.DeadLetterFormat.RAW,
                        topic -> {
                            asked.incrementAndGet();
                            return 10_000;
                        },
                        1_048_576);
        for (int i = 0; i < 3; i++) {
            assertThat(sizeOnTheBroker(s.serialize(letter(record(50_000, 'v'), "r"), null, null)))
                    .isLessThanOrEqualTo(10_000);
        }
        assertThat(asked).hasValue(1);
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
