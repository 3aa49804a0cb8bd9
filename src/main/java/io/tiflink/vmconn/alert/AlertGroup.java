package io.tiflink.vmconn.alert;

import io.tiflink.vmconn.model.Match;
import java.util.Objects;

/**
 * What the alert aggregator keeps for one (IndicatorId, RemoteIp, window): the match to report
 * (SPEC 3.2), how many matches the group had and the span of their connection times.
 */
public class AlertGroup {

    public Match reported;
    public long matchCount;
    public long firstConnectionTime;
    public int firstConnectionTimeDigits;
    public long lastConnectionTime;
    public int lastConnectionTimeDigits;

    /** Some match came from a late connection, or arrived after the window closed: their OR. */
    public boolean late;

    /** Some match's connection row arrived late ({@code Connection.late}). Since 1.2.0. */
    public boolean lateArrival;

    /** Some match's connection was judged behind the watermark. Since 1.2.0. */
    public boolean behindWatermark;

    /** Some match reached the group after its window had closed. Since 1.2.0. */
    public boolean afterWindowClosed;

    /** Has changed since its alert was last emitted (or was never emitted). */
    public boolean pending;

    public boolean emitted;

    public AlertGroup() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AlertGroup)) return false;
        AlertGroup g = (AlertGroup) o;
        return matchCount == g.matchCount
                && firstConnectionTime == g.firstConnectionTime
                && lastConnectionTime == g.lastConnectionTime
                && late == g.late
                && lateArrival == g.lateArrival
                && behindWatermark == g.behindWatermark
                && afterWindowClosed == g.afterWindowClosed
                && pending == g.pending
                && emitted == g.emitted
                && Objects.equals(reported, g.reported);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reported, matchCount);
    }
}
