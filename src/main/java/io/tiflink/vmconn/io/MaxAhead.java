package io.tiflink.vmconn.io;

import io.tiflink.vmconn.config.Durations;
import io.tiflink.vmconn.model.EventTimes;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Poison event time: how far ahead of "now" a row's version time (TimeGenerated; a STIX object's
 * modified, else created) may lie. A row further ahead would move its input's watermark there:
 * every later row of that partition late, every open window closed at once. It is a dead letter
 * instead.
 *
 * <p>"Now" is, by the plug that reads the input:
 *
 * <ul>
 *   <li>{@link #ofWallClock}: the wall clock when the row is read (the Kafka job). No real row is
 *       from the future; a clock error on one VM, or one bad producer, is.
 *   <li>{@link #ofInputProgress}: the input's own progress, the greatest version time accepted so
 *       far from the same file or partition (a replay): the same file gives the same dead letters
 *       on any day. The first row of a file sets the progress; a row behind it is never ahead.
 *   <li>{@link #NONE}: no bound.
 * </ul>
 *
 * One instance per source reader (each {@link RowParser} holds its own copy); not thread-safe.
 */
public final class MaxAhead implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What "now" is. */
    public enum Reference {
        WALL_CLOCK,
        INPUT_PROGRESS
    }

    /** A source of the wall clock's time, epoch milliseconds (a fixed one in tests). */
    @FunctionalInterface
    public interface WallClock extends Serializable {
        long nowMillis();
    }

    /** No bound. */
    public static final MaxAhead NONE = new MaxAhead(0, Reference.WALL_CLOCK, null);

    private final long maxAheadNanos;
    private final Reference reference;
    private final WallClock clock;
    private transient Map<String, Long> progressBySplit;
    private transient String lastSource;
    private transient int lastPartition;
    private transient String lastSplit;

    private MaxAhead(long maxAheadNanos, Reference reference, WallClock clock) {
        this.maxAheadNanos = maxAheadNanos;
        this.reference = reference;
        this.clock = clock;
    }

    /** Ahead of the wall clock by more than {@code maxAheadMillis} (0 = no bound). */
    public static MaxAhead ofWallClock(long maxAheadMillis) {
        return ofWallClock(maxAheadMillis, System::currentTimeMillis);
    }

    /** As {@link #ofWallClock(long)}, reading the time from {@code clock}. */
    public static MaxAhead ofWallClock(long maxAheadMillis, WallClock clock) {
        return maxAheadMillis <= 0
                ? NONE
                : new MaxAhead(
                        EventTimes.millisToNanos(maxAheadMillis), Reference.WALL_CLOCK, clock);
    }

    /**
     * Ahead of the greatest version time accepted so far from the same file or partition by more
     * than {@code maxAheadMillis} (0 = no bound).
     */
    public static MaxAhead ofInputProgress(long maxAheadMillis) {
        return maxAheadMillis <= 0
                ? NONE
                : new MaxAhead(
                        EventTimes.millisToNanos(maxAheadMillis), Reference.INPUT_PROGRESS, null);
    }

    /** Whether there is a bound at all. */
    public boolean isBounded() {
        return maxAheadNanos > 0;
    }

    public Reference reference() {
        return reference;
    }

    /**
     * Judges a row read from {@code source} (file or topic) and {@code partition} (-1 for files)
     * with this version time: null when it is not too far ahead (the input's progress then moves to
     * it), else the reason it is a dead letter, naming the {@code column} the time came from.
     */
    String check(String source, int partition, String column, long timeNanos, int digits) {
        if (maxAheadNanos <= 0) {
            return null;
        }
        if (reference == Reference.WALL_CLOCK) {
            long now = EventTimes.millisToNanos(clock.nowMillis());
            long ahead = timeNanos - now;
            return ahead > maxAheadNanos
                    ? reason(column, timeNanos, digits, ahead, "the wall clock")
                    : null;
        }
        if (progressBySplit == null) {
            progressBySplit = new HashMap<>();
        }
        String split = split(source, partition);
        Long progress = progressBySplit.get(split);
        if (progress != null) {
            long ahead = timeNanos - progress;
            if (ahead > maxAheadNanos) {
                return reason(
                        column,
                        timeNanos,
                        digits,
                        ahead,
                        "the greatest time read so far from this input ("
                                + EventTimes.format(progress, 0)
                                + ")");
            }
        }
        if (progress == null || timeNanos > progress) {
            progressBySplit.put(split, timeNanos);
        }
        return null;
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

    private String reason(String column, long timeNanos, int digits, long aheadNanos, String of) {
        return column
                + " "
                + EventTimes.format(timeNanos, digits)
                + " lies "
                + roughly(aheadNanos)
                + " ahead of "
                + of
                + ", more than --max-ahead "
                + Durations.format(Duration.ofNanos(maxAheadNanos));
    }

    /** A duration for a message: its largest unit, rounded down (1125d, 26h, 3m, 12s). */
    static String roughly(long nanos) {
        long s = nanos / 1_000_000_000L;
        if (s >= 2 * 86_400L) return s / 86_400L + "d";
        if (s >= 2 * 3_600L) return s / 3_600L + "h";
        if (s >= 2 * 60L) return s / 60L + "m";
        return s + "s";
    }

    @Override
    public String toString() {
        return maxAheadNanos <= 0
                ? "no bound"
                : Durations.format(Duration.ofNanos(maxAheadNanos))
                        + (reference == Reference.WALL_CLOCK
                                ? " ahead of the wall clock"
                                : " ahead of the input's progress");
    }
}
