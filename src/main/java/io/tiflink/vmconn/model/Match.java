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
        return detectionTime == m.detectionTime
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
