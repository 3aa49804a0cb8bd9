package io.tiflink.vmconn.io;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.model.InputRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time for both inputs (SPEC 4.4): each input's watermark trails its greatest TimeGenerated
 * by the out-of-orderness bound. With idleness set, a silent input (a quiet indicator feed, an
 * empty partition) stops holding the watermark back (SPEC 4.3).
 */
public final class InputWatermarks {

    private InputWatermarks() {}

    public static WatermarkStrategy<InputRecord> forIndicators(DetectionSettings s) {
        return bounded(s);
    }

    public static WatermarkStrategy<InputRecord> forConnections(DetectionSettings s) {
        return bounded(s);
    }

    /**
     * For replaying bounded files: no watermark until the input ends, so the order of rows in a
     * file never makes one late; the job then judges everything in event-time order.
     */
    public static WatermarkStrategy<InputRecord> atEndOfInput() {
        return WatermarkStrategy.noWatermarks();
    }

    private static WatermarkStrategy<InputRecord> bounded(DetectionSettings s) {
        WatermarkStrategy<InputRecord> w =
                WatermarkStrategy.<InputRecord>forBoundedOutOfOrderness(
                                Duration.ofMillis(s.outOfOrdernessMillis()))
                        .withTimestampAssigner((r, ts) -> r.eventTimeMillis());
        return s.idlenessMillis() > 0 ? w.withIdleness(Duration.ofMillis(s.idlenessMillis())) : w;
    }
}
