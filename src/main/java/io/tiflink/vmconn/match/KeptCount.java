package io.tiflink.vmconn.match;

import java.util.TreeMap;

/**
 * The keptConnections metric: the connections this task kept whose span has not left yet, counted
 * by span as they are kept. Those a restore brought are not counted, so the figure is exact from L
 * after a restore on. Written by the task's thread; the gauge reads one volatile long.
 */
final class KeptCount {

    private final BucketMatching buckets;
    private final TreeMap<Long, long[]> bySpan = new TreeMap<>();
    private volatile long value;
    private long countedAtMinute = Long.MIN_VALUE + 1;

    KeptCount(BucketMatching buckets) {
        this.buckets = buckets;
    }

    /** A connection was kept in this span; the watermark is now at {@code watermark}. */
    void kept(long span, long watermark) {
        bySpan.computeIfAbsent(span, k -> new long[1])[0]++;
        long minute = Math.floorDiv(watermark, 60_000L);
        if (minute == countedAtMinute) {
            value++;
            return;
        }
        countedAtMinute = minute;
        if (watermark != Long.MIN_VALUE) {
            bySpan.headMap(watermark - buckets.dropInstant(0)).clear();
        }
        long n = 0;
        for (long[] count : bySpan.values()) {
            n += count[0];
        }
        value = n;
    }

    long value() {
        return value;
    }
}
