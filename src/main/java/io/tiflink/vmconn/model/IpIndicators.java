package io.tiflink.vmconn.model;

import java.util.Arrays;

/**
 * The broadcast state's value for one canonical IP: the timelines of every indicator that has a
 * kept version with this IP, sorted by IndicatorId (a fixed order, so every task and every run
 * evaluates them alike). A timeline is the indicator's whole timeline, versions with other IPs
 * included: they decide which version is in force.
 */
public class IpIndicators {

    public IndicatorTimeline[] timelines = new IndicatorTimeline[0];

    public IpIndicators() {}

    public IpIndicators(IndicatorTimeline[] timelines) {
        this.timelines = timelines;
    }

    public IndicatorTimeline find(String indicatorId) {
        for (IndicatorTimeline t : timelines) {
            if (t.indicatorId.equals(indicatorId)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpIndicators && Arrays.equals(timelines, ((IpIndicators) o).timelines);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(timelines);
    }

    @Override
    public String toString() {
        return Arrays.toString(timelines);
    }
}
