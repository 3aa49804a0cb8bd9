package io.tiflink.vmconn.model;

/**
 * What a source yields: one readable row of either input, a dead letter, or a readable element that
 * is counted and skipped (a STIX object of another type: SPEC 6.1). Sources emit this so that event
 * time is assigned inside the source (per Kafka partition or file split) and dead letters leave
 * right after it.
 */
public class InputRecord {

    public Indicator indicator;
    public Connection connection;
    public DeadLetter deadLetter;

    /** The reason a readable element is skipped (counted by it, never a dead letter). */
    public String skipped;

    public InputRecord() {}

    public static InputRecord of(Indicator i) {
        InputRecord r = new InputRecord();
        r.indicator = i;
        return r;
    }

    public static InputRecord of(Connection c) {
        InputRecord r = new InputRecord();
        r.connection = c;
        return r;
    }

    public static InputRecord of(DeadLetter d) {
        InputRecord r = new InputRecord();
        r.deadLetter = d;
        return r;
    }

    public static InputRecord skipped(String reason) {
        InputRecord r = new InputRecord();
        r.skipped = reason;
        return r;
    }

    /**
     * Flink timestamp of the row; Long.MIN_VALUE for a dead letter (it never moves a watermark).
     */
    public long eventTimeMillis() {
        if (indicator != null) return EventTimes.toMillis(indicator.timeGenerated);
        if (connection != null) return EventTimes.toMillis(connection.timeGenerated);
        return Long.MIN_VALUE;
    }

    @Override
    public String toString() {
        return indicator != null
                ? indicator.toString()
                : connection != null
                        ? connection.toString()
                        : deadLetter != null ? deadLetter.toString() : "skipped " + skipped;
    }
}
