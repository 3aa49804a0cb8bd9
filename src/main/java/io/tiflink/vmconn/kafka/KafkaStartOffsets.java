package io.tiflink.vmconn.kafka;

import io.tiflink.vmconn.config.Durations;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the connection topic starts on a first start (a restore always continues from the
 * checkpoint's offsets): the consumer group's committed offset for each partition that has one,
 * else the fallback: the earliest offset, the latest, or the first offset at or after a timestamp
 * (the latest when there is none).
 */
@SuppressWarnings(
        "deprecation") // OffsetResetStrategy: the type the connector's interface still uses
public final class KafkaStartOffsets implements OffsetsInitializer {

    private static final long serialVersionUID = 1L;

    /** Where a partition without a committed offset starts. */
    public enum Fallback {
        EARLIEST,
        LATEST,
        TIMESTAMP
    }

    private final Fallback fallback;
    private final long timestampMillis;

    private KafkaStartOffsets(Fallback fallback, long timestampMillis) {
        this.fallback = fallback;
        this.timestampMillis = timestampMillis;
    }

    public static KafkaStartOffsets committedElseEarliest() {
        return new KafkaStartOffsets(Fallback.EARLIEST, -1);
    }

    public static KafkaStartOffsets committedElseLatest() {
        return new KafkaStartOffsets(Fallback.LATEST, -1);
    }

    public static KafkaStartOffsets committedElseTimestamp(Instant t) {
        return new KafkaStartOffsets(Fallback.TIMESTAMP, t.toEpochMilli());
    }

    /** latest, earliest, an ISO-8601 instant, or a duration back from {@code now} (2h, 30m, 1d). */
    public static KafkaStartOffsets parse(String text, Instant now) {
        String t = text.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "latest":
                return committedElseLatest();
            case "earliest":
                return committedElseEarliest();
            default:
                break;
        }
        try {
            return committedElseTimestamp(Instant.parse(t));
        } catch (DateTimeParseException notAnInstant) {
            try {
                return committedElseTimestamp(now.minus(Durations.parse(t)));
            } catch (IllegalArgumentException notADuration) {
                throw new IllegalArgumentException(
                        "--connections-start takes latest, earliest, an ISO-8601 instant "
                                + "(2026-11-27T10:00:00Z) or a duration back from now (2h), not '"
                                + text
                                + "'");
            }
        }
    }

    public Fallback fallback() {
        return fallback;
    }

    /** The timestamp of {@link Fallback#TIMESTAMP}, epoch milliseconds. */
    public long timestampMillis() {
        return timestampMillis;
    }

    @Override
    public Map<TopicPartition, Long> getPartitionOffsets(
            Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever) {
        Map<TopicPartition, Long> offsets = new HashMap<>(retriever.committedOffsets(partitions));
        List<TopicPartition> without = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (!offsets.containsKey(tp)) {
                without.add(tp);
            }
        }
        if (without.isEmpty()) {
            return offsets;
        }
        switch (fallback) {
            case EARLIEST:
                offsets.putAll(retriever.beginningOffsets(without));
                break;
            case LATEST:
                offsets.putAll(retriever.endOffsets(without));
                break;
            default:
                Map<TopicPartition, Long> query = new HashMap<>();
                without.forEach(tp -> query.put(tp, timestampMillis));
                Map<TopicPartition, OffsetAndTimestamp> found = retriever.offsetsForTimes(query);
                List<TopicPartition> none = new ArrayList<>();
                for (TopicPartition tp : without) {
                    OffsetAndTimestamp o = found.get(tp);
                    if (o != null) {
                        offsets.put(tp, o.offset());
                    } else {
                        none.add(tp);
                    }
                }
                if (!none.isEmpty()) {
                    offsets.putAll(retriever.endOffsets(none));
                }
        }
        return offsets;
    }

    /** Where a partition restarts when its offset is out of range (deleted by retention). */
    @Override
    public OffsetResetStrategy getAutoOffsetResetStrategy() {
        return fallback == Fallback.LATEST
                ? OffsetResetStrategy.LATEST
                : OffsetResetStrategy.EARLIEST;
    }

    @Override
    public String toString() {
        switch (fallback) {
            case EARLIEST:
                return "committed offsets, else earliest";
            case LATEST:
                return "committed offsets, else latest";
            default:
                return "committed offsets, else from " + Instant.ofEpochMilli(timestampMillis);
        }
    }
}
