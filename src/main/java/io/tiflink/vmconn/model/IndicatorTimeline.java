package io.tiflink.vmconn.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * All kept versions of one indicator, ordered by TimeGenerated and, on ties, by arrival (the later
 * arrival last, so it is the one in force: SPEC 1.5).
 */
public class IndicatorTimeline {

    public String indicatorId;
    public Indicator[] versions = new Indicator[0];

    public IndicatorTimeline() {}

    public IndicatorTimeline(String indicatorId, Indicator[] versions) {
        this.indicatorId = indicatorId;
        this.versions = versions;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof IndicatorTimeline)) return false;
        IndicatorTimeline that = (IndicatorTimeline) o;
        return Objects.equals(indicatorId, that.indicatorId)
                && Arrays.equals(versions, that.versions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(indicatorId, Arrays.hashCode(versions));
    }

    @Override
    public String toString() {
        return "IndicatorTimeline{" + indicatorId + ' ' + Arrays.toString(versions) + '}';
    }
}
