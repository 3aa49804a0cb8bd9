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
 *       on any day. The first row of a file sets the progress; a row behind it is never ahead. A
 *       real gap in the file (a quiet weekend) is told from a burst of rows from the future by
 *       {@link #ROWS_CONFIRMING_A_JUMP} rows in a row beyond the bound and within it of each other:
 *       the last of them moves the progress, the ones before it are dead letters.
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

    /**
     * Rows in a row, each ahead of the input's progress by more than the bound and within the bound
     * of the first of them, that confirm a jump in a replayed file: the last of them is accepted
     * and the progress moves to it. Fewer (a burst from a bad producer) are all dead letters.
     */
    public static final int ROWS_CONFIRMING_A_JUMP = 10;

    /** The greatest bound: nanoseconds of it must fit a long (about 292 years). */
    public static final long MAX_BOUND_MILLIS = Long.MAX_VALUE / 1_000_000L;

    /** No bound. */
    public static final MaxAhead NONE = new MaxAhead(0, Reference.WALL_CLOCK, null);

    private final long maxAheadNanos;
    private final Reference reference;
    private final WallClock clock;
    private transient Map<String, Long> progressBySplit;

    /** Per split: the first time of the run of rows ahead of the progress, and its length. */
    private transient Map<String, long[]> jumpBySplit;

    private transient String lastSource;
    private transient int lastPartition;
    private transient String lastSplit;

    private MaxAhead(long maxAheadNanos, Reference reference, WallClock clock) {
        if (maxAheadNanos < 0) {
            throw new IllegalArgumentException(
                    "--max-ahead at most " + MAX_BOUND_MILLIS / 86_400_000L + "d");
        }
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
                : new MaxAhead(nanos(maxAheadMillis), Reference.WALL_CLOCK, clock);
    }

    /**
     * Ahead of the greatest version time accepted so far from the same file or partition by more
     * than {@code maxAheadMillis} (0 = no bound).
     */
    public static MaxAhead ofInputProgress(long maxAheadMillis) {
        return maxAheadMillis <= 0
                ? NONE
                : new MaxAhead(nanos(maxAheadMillis), Reference.INPUT_PROGRESS, null);
    }

    /** The bound in nanoseconds; -1 (refused by the constructor) when it does not fit a long. */
    private static long nanos(long maxAheadMillis) {
        return maxAheadMillis > MAX_BOUND_MILLIS ? -1 : maxAheadMillis * 1_000_000L;
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
            // timeNanos > now first: a time centuries behind now would overflow the difference
            return timeNanos > now && timeNanos - now > maxAheadNanos
                    ? reason(column, timeNanos, digits, timeNanos - now, "the wall clock")
                    : null;
        }
        if (progressBySplit == null) {
            progressBySplit = new HashMap<>();
        }
        String split = split(source, partition);
        Long progress = progressBySplit.get(split);
        if (progress != null && timeNanos > progress && timeNanos - progress > maxAheadNanos) {
            if (!confirmsAJump(split, timeNanos)) {
                return reason(
                        column,
                        timeNanos,
                        digits,
                        timeNanos - progress,
                        "the greatest time read so far from this input ("
                                + EventTimes.format(progress, 0)
                                + ")");
            }
        } else if (jumpBySplit != null) {
            jumpBySplit.remove(split);
        }
        if (progress == null || timeNanos > progress) {
            progressBySplit.put(split, timeNanos);
        }
        return null;
    }

    /**
     * Whether this row, ahead of its input's progress, is the {@link #ROWS_CONFIRMING_A_JUMP}-th of
     * a run of such rows within the bound of the run's first: a real gap in the file, not a burst
     * from a bad producer.
     */
    private boolean confirmsAJump(String split, long timeNanos) {
        if (jumpBySplit == null) {
            jumpBySplit = new HashMap<>();
        }
        long[] run = jumpBySplit.get(split);
        if (run == null || !within(timeNanos, run[0], maxAheadNanos)) {
            jumpBySplit.put(split, new long[] {timeNanos, 1});
            return ROWS_CONFIRMING_A_JUMP <= 1;
        }
        if (++run[1] < ROWS_CONFIRMING_A_JUMP) {
            return false;
        }
        jumpBySplit.remove(split);
        return true;
    }

    /** |a - b| <= bound, without overflow. */
    private static boolean within(long a, long b, long bound) {
        try {
            long d = Math.subtractExact(a, b);
            return d >= -bound && d <= bound;
        } catch (ArithmeticException e) {
            return false;
        }
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
