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

    /** The window (SPEC 3.1), Flink milliseconds. */
    public long windowStartMillis;

    public long windowEndMillis;
    public long matchCount;

    /** The earliest and latest connection times of the group, nanoseconds since the epoch. */
    public long firstConnectionTimeNanos;

    public int firstConnectionTimeDigits;
    public long lastConnectionTimeNanos;
    public int lastConnectionTimeDigits;
    public String emitMode;

    /** The OR of the three causes below (SPEC 4.4). */
    public boolean late;

    /** A connection row of the group arrived more than the out-of-orderness bound late. */
    public boolean lateArrival;

    /** A connection of the group was judged behind the watermark, on the indicators known then. */
    public boolean behindWatermark;

    /** A match reached the group after its window had closed: this alert updates an earlier one. */
    public boolean afterWindowClosed;

    public Alert() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Alert)) return false;
        Alert a = (Alert) o;
        return windowStartMillis == a.windowStartMillis
                && windowEndMillis == a.windowEndMillis
                && matchCount == a.matchCount
                && firstConnectionTimeNanos == a.firstConnectionTimeNanos
                && lastConnectionTimeNanos == a.lastConnectionTimeNanos
                && late == a.late
                && lateArrival == a.lateArrival
                && behindWatermark == a.behindWatermark
                && afterWindowClosed == a.afterWindowClosed
                && Objects.equals(alertId, a.alertId)
                && Objects.equals(match, a.match)
                && Objects.equals(emitMode, a.emitMode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, windowStartMillis, matchCount);
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
