package io.tiflink.vmconn.io;

import java.util.HashMap;
import java.util.Map;

/**
 * Which connection rows arrive late (SPEC 4.4): more than the out-of-orderness bound behind the
 * greatest TimeGenerated seen so far on the same file or Kafka partition, the bound by which that
 * input's watermark trails it. One instance per source reader; not thread-safe.
 */
final class ArrivalLateness {

    private final long outOfOrdernessNanos;
    private final Map<String, Long> greatestTimeBySplit = new HashMap<>();
    private String lastSource;
    private int lastPartition;
    private String lastSplit;

    ArrivalLateness(long outOfOrdernessNanos) {
        this.outOfOrdernessNanos = outOfOrdernessNanos;
    }

    /** Whether a row of this time, read from this file or partition now, arrives late. */
    boolean isLate(String source, int partition, long timeGeneratedNanos) {
        String split = split(source, partition);
        Long greatest = greatestTimeBySplit.get(split);
        if (greatest == null || timeGeneratedNanos > greatest) {
            greatestTimeBySplit.put(split, timeGeneratedNanos);
            return false;
        }
        return timeGeneratedNanos < greatest - outOfOrdernessNanos;
    }

    /** The key of a file or partition, without building it again for every row. */
    private String split(String source, int partition) {
        if (partition != lastPartition
                || lastSplit == null
                || source != lastSource && !source.equals(lastSource)) {
            lastSource = source;
            lastPartition = partition;
            lastSplit = source + '#' + partition;
        }
        return lastSplit;
    }
}
