package io.tiflink.vmconn.model;

import java.util.Objects;

/**
 * One alert per (IndicatorId, canonical RemoteIp, window) (SPEC 3.1, 3.2): the reported match plus
 * what the group had. {@code io.AlertJson} writes it with the rule's column names (SPEC 3.3) and
 * the extra fields of SPEC 3.5.
 */
public class Alert {

    public String alertId;
    public Match match;
    public long windowStart;
    public long windowEnd;
    public long matchCount;
    public long firstConnectionTime;
    public int firstConnectionTimeDigits;
    public long lastConnectionTime;
    public int lastConnectionTimeDigits;
    public String emitMode;
    public boolean late;

    public Alert() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Alert)) return false;
        Alert a = (Alert) o;
        return windowStart == a.windowStart
                && windowEnd == a.windowEnd
                && matchCount == a.matchCount
                && firstConnectionTime == a.firstConnectionTime
                && lastConnectionTime == a.lastConnectionTime
                && late == a.late
                && Objects.equals(alertId, a.alertId)
                && Objects.equals(match, a.match)
                && Objects.equals(emitMode, a.emitMode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, windowStart, matchCount);
    }

    @Override
    public String toString() {
        return "Alert{"
                + alertId
                + ' '
                + match
                + " count="
                + matchCount
                + (late ? " late" : "")
                + '}';
    }
}
