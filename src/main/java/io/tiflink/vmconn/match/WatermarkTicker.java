package io.tiflink.vmconn.match;

import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.IndicatorEvent;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Turns the connection side's watermark into ticks on the indicator (broadcast) side, at most one
 * per interval of event time. The matcher sweeps expired indicators out of broadcast state when a
 * tick arrives, so the state shrinks even while the indicator feed is silent.
 */
public class WatermarkTicker extends AbstractStreamOperator<IndicatorEvent>
        implements OneInputStreamOperator<Connection, IndicatorEvent> {

    private static final long serialVersionUID = 1L;

    private final long intervalMillis;
    private transient long lastTick;

    public WatermarkTicker(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void open() throws Exception {
        super.open();
        lastTick = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<Connection> element) {
        // Only the watermark matters here.
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long ts = mark.getTimestamp();
        if (lastTick == Long.MIN_VALUE || ts >= lastTick + intervalMillis || ts == Long.MAX_VALUE) {
            lastTick = ts;
            output.collect(new StreamRecord<>(IndicatorEvent.tick(ts)));
        }
        super.processWatermark(mark);
    }
}
