package io.tiflink.vmconn.testing;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.config.EmitMode;
import io.tiflink.vmconn.reference.SpecReference;
import java.time.Duration;

/** The job's settings for the reference's settings (idleness off: test inputs are never idle). */
public final class ReferenceSettings {

    private ReferenceSettings() {}

    public static DetectionSettings toJob(SpecReference.Settings s) {
        return DetectionSettings.defaults()
                .withWindow(s.window())
                .withLookback(s.lookback())
                .withIndicatorLookback(s.indicatorLookback())
                .withOutOfOrderness(s.outOfOrderness())
                .withEmitMode(EmitMode.parse(s.emitMode()))
                .withExtraExcludedRanges(s.extraExcludedCidrs())
                .withBroadestIpv4Range(s.minRangePrefixV4())
                .withBroadestIpv6Range(s.minRangePrefixV6())
                .withIdleness(Duration.ZERO);
    }
}
