package io.tiflink.vmconn.kafka;

import io.tiflink.vmconn.io.DeadLetterJson;
import io.tiflink.vmconn.model.DeadLetter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dead letter (SPEC 5.3) as a Kafka record. Format {@code raw}: the value is the record exactly
 * as it arrived (or, for a bad row inside an envelope, that row), so it can be fixed and
 * re-published as is. Format {@code json}: the value is {@link DeadLetterJson}'s object. Either way
 * the headers say why and where from, and the key is the position text ({@code
 * topic-partition@offset[#row]}).
 *
 * <p>A dead letter never exceeds what the dead-letter topic takes: a record just under the source
 * topic's size limit, plus the key and headers, would not fit a topic with the same limit, and the
 * sink would fail the job on it at every restart. The limit is the smaller of the topic's {@code
 * max.message.bytes} (asked of the broker when the first dead letter comes) and the producer's
 * {@code max.request.size}; when the broker cannot be asked, {@value #FALLBACK_MAX_BYTES} bytes
 * (Kafka's default is 1,048,588, Event Hubs' 1 MB). A dead letter larger than that is cut: the
 * value keeps the first bytes of the record (a whole number of UTF-8 characters) and the header
 * {@value #CUT} says it was cut and holds the record's whole size in bytes ({@code "cut": true} and
 * {@code "rawBytes"} in the json format). A reason is at most {@value #MAX_REASON_CHARS}
 * characters.
 */
public class KafkaDeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetterSerializer.class);

    public static final String REASON = "dlq.reason";
    public static final String INPUT = "dlq.input";
    public static final String TOPIC = "dlq.topic";
    public static final String PARTITION = "dlq.partition";
    public static final String OFFSET = "dlq.offset";

    /** Index of the bad row inside an envelope; absent when the whole record was unreadable. */
    public static final String ROW = "dlq.row";

    /** Present on a dead letter whose record was cut to fit: the record's whole size in bytes. */
    public static final String CUT = "dlq.cut";

    /** The limit when the broker cannot say the topic's: below Kafka's and Event Hubs' defaults. */
    public static final int FALLBACK_MAX_BYTES = 1_000_000;

    /** The producer's default max.request.size. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

    static final int MAX_REASON_CHARS = 1000;

    /**
     * After a failed question to the broker, ask again after this long (the fallback meanwhile).
     */
    private static final long RETRY_NANOS = TimeUnit.MINUTES.toNanos(10);

    /**
     * Bytes a record batch of one record adds to the key, value and headers, at most: the batch
     * header (61), the record's own framing (21), the varints of the key and value lengths and of
     * the header count (5 each), and a margin for what a broker or proxy may add.
     */
    static final int RECORD_OVERHEAD = 61 + 21 + 3 * 5 + 512;

    /** Where the topic's size limit comes from. */
    @FunctionalInterface
    public interface TopicLimit extends Serializable {
        /** The topic's max.message.bytes; throws when it cannot be known. */
        int maxMessageBytes(String topic) throws Exception;
    }

    private final String topic;
    private final KafkaSettings.DeadLetterFormat format;
    private final TopicLimit topicLimit;
    private final int maxRequestSize;
    private transient int limit;
    private transient long askAgainAtNanos;

    /** Writes dead letters to {@code topic} with the fallback limit (no broker is asked). */
    public KafkaDeadLetterSerializer(String topic, KafkaSettings.DeadLetterFormat format) {
        this(topic, format, null, DEFAULT_MAX_REQUEST_SIZE);
    }

    /**
     * Writes dead letters to {@code topic}, no larger than the topic's limit ({@code topicLimit};
     * null: the fallback) nor the producer's {@code maxRequestSize}.
     */
    public KafkaDeadLetterSerializer(
            String topic,
            KafkaSettings.DeadLetterFormat format,
            TopicLimit topicLimit,
            int maxRequestSize) {
        this.topic = topic;
        this.format = format;
        this.topicLimit = topicLimit;
        this.maxRequestSize = maxRequestSize;
    }

    /** The production serializer: asks the broker with the job's client settings. */
    public static KafkaDeadLetterSerializer of(KafkaSettings k) {
        Properties admin = k.producerProperties(); // the dead letters' producer's settings
        String maxRequest = k.producerProperties().getProperty("max.request.size");
        int maxRequestSize = DEFAULT_MAX_REQUEST_SIZE;
        if (maxRequest != null) {
            try {
                maxRequestSize = Integer.parseInt(maxRequest.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "producer property max.request.size takes a number of bytes, not '"
                                + maxRequest
                                + "'");
            }
        }
        return new KafkaDeadLetterSerializer(
                k.deadLettersTopic(), k.deadLetterFormat(), askBroker(admin), maxRequestSize);
    }

    /** The topic's max.message.bytes, as the broker describes the topic's configuration. */
    static TopicLimit askBroker(Properties clientProperties) {
        return topic -> {
            Properties p = new Properties();
            p.putAll(clientProperties);
            p.putIfAbsent("client.id", "ti-dead-letter-limit");
            try (Admin admin = Admin.create(p)) {
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config c =
                        admin.describeConfigs(
                                        List.of(r), new DescribeConfigsOptions().timeoutMs(10_000))
                                .all()
                                .get(15, TimeUnit.SECONDS)
                                .get(r);
                ConfigEntry e = c == null ? null : c.get("max.message.bytes");
                if (e == null || e.value() == null) {
                    throw new IllegalStateException("no max.message.bytes in its configuration");
                }
                return Integer.parseInt(e.value().trim());
            }
        };
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter d, KafkaSinkContext context, Long timestamp) {
        RecordHeaders h = new RecordHeaders();
        add(h, REASON, reason(d.reason));
        add(h, INPUT, d.input);
        add(h, TOPIC, d.source);
        if (d.partition >= 0) {
            add(h, PARTITION, Integer.toString(d.partition));
        }
        add(h, OFFSET, Long.toString(d.offset));
        if (d.row >= 0) {
            add(h, ROW, Integer.toString(d.row));
        }
        byte[] key = d.position().getBytes(StandardCharsets.UTF_8);
        byte[] raw = d.raw == null ? new byte[0] : d.raw;
        byte[] value =
                format == KafkaSettings.DeadLetterFormat.JSON
                        ? DeadLetterJson.toJson(d).getBytes(StandardCharsets.UTF_8)
                        : raw;
        int room = limit() - overhead(key, h);
        if (value.length > room) {
            add(h, CUT, Integer.toString(raw.length));
            value = cut(d, raw, limit() - overhead(key, h));
        }
        return new ProducerRecord<>(topic, null, null, key, value, h);
    }

    /** The value cut to at most {@code room} bytes. */
    private byte[] cut(DeadLetter d, byte[] raw, int room) {
        if (format != KafkaSettings.DeadLetterFormat.JSON) {
            return Arrays.copyOf(raw, DeadLetterJson.utf8Boundary(raw, Math.max(0, room)));
        }
        // JSON escapes may make a byte of the record several bytes of the value: cut until it fits.
        int keep = Math.max(0, room);
        byte[] value = DeadLetterJson.toJson(d, keep).getBytes(StandardCharsets.UTF_8);
        while (value.length > room && keep > 0) {
            keep = Math.max(0, keep - (value.length - room) - 16);
            value = DeadLetterJson.toJson(d, keep).getBytes(StandardCharsets.UTF_8);
        }
        return value;
    }

    /** The most bytes a record may have on the dead-letter topic. */
    int limit() {
        if (limit > 0 && (askAgainAtNanos == 0 || System.nanoTime() < askAgainAtNanos)) {
            return limit;
        }
        int fallback = Math.min(FALLBACK_MAX_BYTES, maxRequestSize);
        if (topicLimit == null) {
            limit = fallback;
            return limit;
        }
        try {
            int topicMax = topicLimit.maxMessageBytes(topic);
            limit = Math.min(topicMax, maxRequestSize);
            askAgainAtNanos = 0;
            LOG.info(
                    "Dead letters to {} are cut to {} bytes (topic max.message.bytes {}, producer"
                            + " max.request.size {})",
                    topic,
                    limit,
                    topicMax,
                    maxRequestSize);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            limit = fallback;
            askAgainAtNanos = System.nanoTime() + RETRY_NANOS;
            LOG.warn(
                    "Cannot read max.message.bytes of topic {} ({}); dead letters are cut to {}"
                            + " bytes until it can be read",
                    topic,
                    e.toString(),
                    limit);
        }
        return limit;
    }

    /** An upper bound of what the record adds to its value: key, headers, framing, a margin. */
    static int overhead(byte[] key, RecordHeaders headers) {
        int n = RECORD_OVERHEAD + key.length;
        for (Header h : headers) {
            n += 10 + h.key().getBytes(StandardCharsets.UTF_8).length + h.value().length;
        }
        return n;
    }

    private static String reason(String reason) {
        return reason == null || reason.length() <= MAX_REASON_CHARS
                ? reason
                : reason.substring(0, MAX_REASON_CHARS) + "...";
    }

    private static void add(RecordHeaders h, String key, String value) {
        if (value != null) {
            h.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
