package io.tiflink.vmconn.model;

import java.util.Objects;

/**
 * A (connection, indicator) pair (SPEC 2.2) with its detection time (SPEC 2.3) and the indicator
 * version in force at that time.
 */
public class Match {

    public Connection connection;
    public Indicator indicator;
    public long detectionTime;
    public int detectionTimeDigits;

    /**
     * The indicator's target the connection matched (TI_ipEntity: an address or a range, SPEC
     * 6.4c), and its text as written (a STIX pattern's value). Null in matches restored from 1.x:
     * the indicator's {@code ip} then. Since 1.2.0.
     */
    public String target;

    public String targetAsWritten;

    public Match() {}

    public static Match of(Connection c, Indicator v, long detectionTime, int digits) {
        Match m = new Match();
        m.connection = c;
        m.indicator = v;
        m.detectionTime = detectionTime;
        m.detectionTimeDigits = digits;
        return m;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Match)) return false;
        Match m = (Match) o;
        return Objects.equals(target, m.target)
                && Objects.equals(targetAsWritten, m.targetAsWritten)
                && detectionTime == m.detectionTime
                && detectionTimeDigits == m.detectionTimeDigits
                && Objects.equals(connection, m.connection)
                && Objects.equals(indicator, m.indicator);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connection, indicator, detectionTime);
    }

    @Override
    public String toString() {
        return "Match{"
                + connection
                + " ~ "
                + indicator
                + " at "
                + EventTimes.format(detectionTime, detectionTimeDigits)
                + '}';
    }
}
