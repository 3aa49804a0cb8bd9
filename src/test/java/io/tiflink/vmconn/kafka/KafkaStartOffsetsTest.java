package io.tiflink.vmconn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Where the connection topic starts on a first start: committed offsets, else the setting. */
@SuppressWarnings("deprecation")
class KafkaStartOffsetsTest {

    private static final TopicPartition P0 = new TopicPartition("vm-connections", 0);
    private static final TopicPartition P1 = new TopicPartition("vm-connections", 1);
    private static final TopicPartition P2 = new TopicPartition("vm-connections", 2);
    private static final List<TopicPartition> ALL = List.of(P0, P1, P2);
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    /**
     * A topic with 100 offsets per partition, from 10 (earlier ones deleted); P0 has a committed
     * offset.
     */
    static final class Topic implements OffsetsInitializer.PartitionOffsetsRetriever {
        @Override
        public Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> m = new HashMap<>();
            if (partitions.contains(P0)) {
                m.put(P0, 42L);
            }
            return m;
        }

        @Override
        public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
            return all(partitions, 110L);
        }

        @Override
        public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
            return all(partitions, 10L);
        }

        /** Records are one minute apart, offset 10 at 10:00; P2 has nothing after 11:00. */
        @Override
        public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
                Map<TopicPartition, Long> query) {
            Map<TopicPartition, OffsetAndTimestamp> m = new HashMap<>();
            long tenOClock = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();
            query.forEach(
                    (tp, ts) -> {
                        long offset = 10 + Math.max(0, (ts - tenOClock + 59_999) / 60_000);
                        if (!(tp.equals(P2) && ts > tenOClock + 3_600_000)) {
                            m.put(
                                    tp,
                                    new OffsetAndTimestamp(
                                            offset, tenOClock + (offset - 10) * 60_000));
                        }
                    });
            return m;
        }

        private static Map<TopicPartition, Long> all(
                Collection<TopicPartition> partitions, long v) {
            Map<TopicPartition, Long> m = new HashMap<>();
            partitions.forEach(tp -> m.put(tp, v));
            return m;
        }
    }

    @Test
    void committedOffsetsElseLatest() {
        Map<TopicPartition, Long> o =
                KafkaStartOffsets.parse("latest", NOW).getPartitionOffsets(ALL, new Topic());
        assertThat(o).containsEntry(P0, 42L).containsEntry(P1, 110L).containsEntry(P2, 110L);
    }

    @Test
    void committedOffsetsElseEarliest() {
        Map<TopicPartition, Long> o =
                KafkaStartOffsets.parse("EARLIEST", NOW).getPartitionOffsets(ALL, new Topic());
        assertThat(o).containsEntry(P0, 42L).containsEntry(P1, 10L).containsEntry(P2, 10L);
    }

    @Test
    void committedOffsetsElseTheFirstRecordAtOrAfterATimestampElseTheEnd() {
        KafkaStartOffsets s = KafkaStartOffsets.parse("2026-11-27T11:30:00Z", NOW);
        Map<TopicPartition, Long> o = s.getPartitionOffsets(ALL, new Topic());
        assertThat(o).containsEntry(P0, 42L).containsEntry(P1, 100L).containsEntry(P2, 110L);
        assertThat(s.toString()).contains("2026-11-27T11:30:00Z");
    }

    @Test
    void aDurationMeansThatLongBeforeNow() {
        KafkaStartOffsets s = KafkaStartOffsets.parse("2h", NOW);
        assertThat(s.fallback()).isEqualTo(KafkaStartOffsets.Fallback.TIMESTAMP);
        assertThat(Instant.ofEpochMilli(s.timestampMillis()))
                .isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(s.getPartitionOffsets(List.of(P1), new Topic())).containsEntry(P1, 10L);
    }

    @Test
    void anOffsetOutOfRangeRestartsWhereNothingIsSkippedUnlessLatestWasAsked() {
        assertThat(KafkaStartOffsets.parse("latest", NOW).getAutoOffsetResetStrategy())
                .isEqualTo(OffsetResetStrategy.LATEST);
        assertThat(KafkaStartOffsets.parse("earliest", NOW).getAutoOffsetResetStrategy())
                .isEqualTo(OffsetResetStrategy.EARLIEST);
        assertThat(KafkaStartOffsets.parse("1d", NOW).getAutoOffsetResetStrategy())
                .isEqualTo(OffsetResetStrategy.EARLIEST);
    }
}
