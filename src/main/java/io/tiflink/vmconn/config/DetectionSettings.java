package io.tiflink.vmconn.config;

import io.tiflink.vmconn.ip.IpExclusions;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the detection computes: the rule's time parameters (SPEC names W, L, P), the
 * out-of-orderness bound, the emit mode and extra excluded ranges. Immutable; built with the {@code
 * with…} methods from {@link #defaults()}.
 */
public final class DetectionSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final long lookbackMillis;
    private final long indicatorLookbackMillis;
    private final long outOfOrdernessMillis;
    private final long idlenessMillis;
    private final long allowedLatenessMillis;
    private final EmitMode emitMode;
    private final List<String> extraExcludedRanges;
    private final IpExclusions exclusions;

    private DetectionSettings(
            long window,
            long lookback,
            long indicatorLookback,
            long outOfOrderness,
            long idleness,
            long allowedLateness,
            EmitMode emitMode,
            List<String> extra) {
        if (window <= 0) throw new IllegalArgumentException("window must be positive");
        if (lookback < 0
                || indicatorLookback < 0
                || outOfOrderness < 0
                || idleness < 0
                || allowedLateness < 0) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        this.windowMillis = window;
        this.lookbackMillis = lookback;
        this.indicatorLookbackMillis = indicatorLookback;
        this.outOfOrdernessMillis = outOfOrderness;
        this.idlenessMillis = idleness;
        this.allowedLatenessMillis = allowedLateness;
        this.emitMode = emitMode;
        this.extraExcludedRanges = List.copyOf(extra);
        this.exclusions = IpExclusions.defaults().withExtra(this.extraExcludedRanges);
    }

    /** The scheduled rule's values: W = 1h, L = 1h, P = 14d; bound 5 min; final alerts. */
    public static DetectionSettings defaults() {
        return new DetectionSettings(
                Duration.ofHours(1).toMillis(),
                Duration.ofHours(1).toMillis(),
                Duration.ofDays(14).toMillis(),
                Duration.ofMinutes(5).toMillis(),
                Duration.ofMinutes(1).toMillis(),
                Duration.ofHours(1).toMillis(),
                EmitMode.FINAL,
                List.of());
    }

    public DetectionSettings withWindow(Duration d) {
        return new DetectionSettings(
                d.toMillis(),
                lookbackMillis,
                indicatorLookbackMillis,
                outOfOrdernessMillis,
                idlenessMillis,
                allowedLatenessMillis,
                emitMode,
                extraExcludedRanges);
    }

    public DetectionSettings withLookback(Duration d) {
        return new DetectionSettings(
                windowMillis,
                d.toMillis(),
                indicatorLookbackMillis,
                outOfOrdernessMillis,
                idlenessMillis,
                allowedLatenessMillis,
                emitMode,
                extraExcludedRanges);
    }

    public DetectionSettings withIndicatorLookback(Duration d) {
        return new DetectionSettings(
                windowMillis,
                lookbackMillis,
                d.toMillis(),
                outOfOrdernessMillis,
                idlenessMillis,
                allowedLatenessMillis,
                emitMode,
                extraExcludedRanges);
    }

    public DetectionSettings withOutOfOrderness(Duration d) {
        return new DetectionSettings(
                windowMillis,
                lookbackMillis,
                indicatorLookbackMillis,
                d.toMillis(),
                idlenessMillis,
                allowedLatenessMillis,
                emitMode,
                extraExcludedRanges);
    }

    /** 0 turns idleness off. */
    public DetectionSettings withIdleness(Duration d) {
        return new DetectionSettings(
                windowMillis,
                lookbackMillis,
                indicatorLookbackMillis,
                outOfOrdernessMillis,
                d.toMillis(),
                allowedLatenessMillis,
                emitMode,
                extraExcludedRanges);
    }

    public DetectionSettings withAllowedLateness(Duration d) {
        return new DetectionSettings(
                windowMillis,
                lookbackMillis,
                indicatorLookbackMillis,
                outOfOrdernessMillis,
                idlenessMillis,
                d.toMillis(),
                emitMode,
                extraExcludedRanges);
    }

    public DetectionSettings withEmitMode(EmitMode mode) {
        return new DetectionSettings(
                windowMillis,
                lookbackMillis,
                indicatorLookbackMillis,
                outOfOrdernessMillis,
                idlenessMillis,
                allowedLatenessMillis,
                mode,
                extraExcludedRanges);
    }

    public DetectionSettings withExtraExcludedRanges(List<String> cidrs) {
        List<String> all = new ArrayList<>(extraExcludedRanges);
        all.addAll(cidrs);
        return new DetectionSettings(
                windowMillis,
                lookbackMillis,
                indicatorLookbackMillis,
                outOfOrdernessMillis,
                idlenessMillis,
                allowedLatenessMillis,
                emitMode,
                all);
    }

    /** W: alert window (the rule's queryFrequency). */
    public long windowMillis() {
        return windowMillis;
    }

    /** L: how long after a connection an indicator may still arrive and match it (dt_lookBack). */
    public long lookbackMillis() {
        return lookbackMillis;
    }

    public long lookbackNanos() {
        return lookbackMillis * 1_000_000L;
    }

    /** P: indicator look-back (ioc_lookBack). */
    public long indicatorLookbackMillis() {
        return indicatorLookbackMillis;
    }

    public long indicatorLookbackNanos() {
        return indicatorLookbackMillis * 1_000_000L;
    }

    public long outOfOrdernessMillis() {
        return outOfOrdernessMillis;
    }

    public long outOfOrdernessNanos() {
        return outOfOrdernessMillis * 1_000_000L;
    }

    /**
     * How long an input may be silent before its watermark stops holding the job back; 0 = never.
     */
    public long idlenessMillis() {
        return idlenessMillis;
    }

    /** How long behind the watermark late connections are still judged against full state. */
    public long allowedLatenessMillis() {
        return allowedLatenessMillis;
    }

    public EmitMode emitMode() {
        return emitMode;
    }

    public List<String> extraExcludedRanges() {
        return extraExcludedRanges;
    }

    public IpExclusions exclusions() {
        return exclusions;
    }

    @Override
    public String toString() {
        return "window="
                + Durations.format(Duration.ofMillis(windowMillis))
                + " lookback="
                + Durations.format(Duration.ofMillis(lookbackMillis))
                + " indicator-lookback="
                + Durations.format(Duration.ofMillis(indicatorLookbackMillis))
                + " out-of-orderness="
                + Durations.format(Duration.ofMillis(outOfOrdernessMillis))
                + " idleness="
                + Durations.format(Duration.ofMillis(idlenessMillis))
                + " allowed-lateness="
                + Durations.format(Duration.ofMillis(allowedLatenessMillis))
                + " emit="
                + emitMode.label()
                + " extra-excluded="
                + extraExcludedRanges;
    }
}
