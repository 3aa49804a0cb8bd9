package io.tiflink.vmconn.model;

/**
 * An element of the broadcast (indicator) side: a usable indicator version, or a tick that carries
 * the connection side's watermark so that expired indicators leave the broadcast state even while
 * the indicator feed is silent.
 */
public class IndicatorEvent {

    public Indicator indicator;

    /** Watermark carried by a tick; unused when {@link #indicator} is set. */
    public long tickWatermark;

    public IndicatorEvent() {}

    public static IndicatorEvent version(Indicator i) {
        IndicatorEvent e = new IndicatorEvent();
        e.indicator = i;
        return e;
    }

    public static IndicatorEvent tick(long watermark) {
        IndicatorEvent e = new IndicatorEvent();
        e.tickWatermark = watermark;
        return e;
    }

    public boolean isTick() {
        return indicator == null;
    }
}
