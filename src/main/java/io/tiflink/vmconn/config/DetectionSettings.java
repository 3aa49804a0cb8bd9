package io.tiflink.vmconn.config;

import io.tiflink.vmconn.ip.IpExclusions;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the detection computes: the rule's time parameters (SPEC names W, L, P), the
 * out-of-orderness bound, the emit mode, extra excluded ranges, the broadest range indicators kept
 * (SPEC 6.4b), and how far ahead a row's time may lie before it is a dead letter (poison event
 * time). Immutable; built with the {@code with…} methods from {@link #defaults()}.
 */
public final class DetectionSettings implements Serializable, Cloneable {

    private static final long serialVersionUID = 1L;

    /**
     * SPEC 6.4b: the broadest IPv4 range kept by default, /8; broader is too broad. The allowed
     * span, /8 to /32, holds at most 256 of the /16 buckets the matcher probes a range by.
     */
    public static final int DEFAULT_BROADEST_IPV4_RANGE = 8;

    public static final int BROADEST_IPV4_RANGE_MIN = 8;
    public static final int BROADEST_IPV4_RANGE_MAX = 32;

    /**
     * SPEC 6.4b: the broadest IPv6 range kept by default, /32. The allowed span, /24 to /128, holds
     * at most 256 of the /32 buckets the matcher probes a range by.
     */
    public static final int DEFAULT_BROADEST_IPV6_RANGE = 32;

    public static final int BROADEST_IPV6_RANGE_MIN = 24;
    public static final int BROADEST_IPV6_RANGE_MAX = 128;

    // Set only on a fresh copy inside a with… method, before check(): never after publication.
    private long windowMillis = Duration.ofHours(1).toMillis();
    private long lookbackMillis = Duration.ofHours(1).toMillis();
    private long indicatorLookbackMillis = Duration.ofDays(14).toMillis();
    private long outOfOrdernessMillis = Duration.ofMinutes(5).toMillis();
    private long idlenessMillis = Duration.ofMinutes(1).toMillis();
    private long allowedLatenessMillis = Duration.ofHours(1).toMillis();
    private EmitMode emitMode = EmitMode.FINAL;
    private List<String> extraExcludedRanges = List.of();
    private IpExclusions exclusions;
    private int broadestIpv4Range = DEFAULT_BROADEST_IPV4_RANGE;
    private int broadestIpv6Range = DEFAULT_BROADEST_IPV6_RANGE;
    private long maxAheadMillis;

    private DetectionSettings() {}

    /** Checks the values and derives the exclusions; returns this. */
    private DetectionSettings check() {
        if (windowMillis <= 0) throw new IllegalArgumentException("window must be positive");
        if (lookbackMillis < 0
                || indicatorLookbackMillis < 0
                || outOfOrdernessMillis < 0
                || idlenessMillis < 0
                || allowedLatenessMillis < 0
                || maxAheadMillis < 0) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        checkSpan(
                "broadest IPv4 range",
                broadestIpv4Range,
                BROADEST_IPV4_RANGE_MIN,
                BROADEST_IPV4_RANGE_MAX);
        checkSpan(
                "broadest IPv6 range",
                broadestIpv6Range,
                BROADEST_IPV6_RANGE_MIN,
                BROADEST_IPV6_RANGE_MAX);
        extraExcludedRanges = List.copyOf(extraExcludedRanges);
        exclusions = IpExclusions.defaults().withExtra(extraExcludedRanges);
        return this;
    }

    /** IllegalArgumentException naming {@code what} when {@code prefix} is not in min..max. */
    static void checkSpan(String what, int prefix, int min, int max) {
        if (prefix < min || prefix > max) {
            throw new IllegalArgumentException(
                    what
                            + " must be a prefix length from "
                            + min
                            + " to "
                            + max
                            + ", not "
                            + prefix
                            + " (a range is probed by /16 IPv4 or /32 IPv6 buckets, at most 256)");
        }
    }

    private DetectionSettings copy() {
        try {
            return (DetectionSettings) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The scheduled rule's values: W = 1h, L = 1h, P = 14d; bound 5 min; final alerts; ranges up to
     * /8 (IPv4) and /32 (IPv6); no bound on how far ahead a row may lie (the Kafka job's option
     * {@code --max-ahead} gives it 1 day).
     */
    public static DetectionSettings defaults() {
        return new DetectionSettings().check();
    }

    public DetectionSettings withWindow(Duration d) {
        DetectionSettings s = copy();
        s.windowMillis = d.toMillis();
        return s.check();
    }

    public DetectionSettings withLookback(Duration d) {
        DetectionSettings s = copy();
        s.lookbackMillis = d.toMillis();
        return s.check();
    }

    public DetectionSettings withIndicatorLookback(Duration d) {
        DetectionSettings s = copy();
        s.indicatorLookbackMillis = d.toMillis();
        return s.check();
    }

    public DetectionSettings withOutOfOrderness(Duration d) {
        DetectionSettings s = copy();
        s.outOfOrdernessMillis = d.toMillis();
        return s.check();
    }

    /** 0 turns idleness off. */
    public DetectionSettings withIdleness(Duration d) {
        DetectionSettings s = copy();
        s.idlenessMillis = d.toMillis();
        return s.check();
    }

    public DetectionSettings withAllowedLateness(Duration d) {
        DetectionSettings s = copy();
        s.allowedLatenessMillis = d.toMillis();
        return s.check();
    }

    public DetectionSettings withEmitMode(EmitMode mode) {
        DetectionSettings s = copy();
        s.emitMode = mode;
        return s.check();
    }

    public DetectionSettings withExtraExcludedRanges(List<String> cidrs) {
        List<String> all = new ArrayList<>(extraExcludedRanges);
        all.addAll(cidrs);
        DetectionSettings s = copy();
        s.extraExcludedRanges = all;
        return s.check();
    }

    /**
     * SPEC 6.4b: an IPv4 range indicator with a prefix shorter than this is too broad: counted and
     * skipped. 8..32.
     */
    public DetectionSettings withBroadestIpv4Range(int prefix) {
        DetectionSettings s = copy();
        s.broadestIpv4Range = prefix;
        return s.check();
    }

    /**
     * SPEC 6.4b: an IPv6 range indicator with a prefix shorter than this is too broad: counted and
     * skipped. 24..128.
     */
    public DetectionSettings withBroadestIpv6Range(int prefix) {
        DetectionSettings s = copy();
        s.broadestIpv6Range = prefix;
        return s.check();
    }

    /**
     * Poison event time: a row whose version time lies more than this ahead of "now" is a dead
     * letter, not a row that moves its input's watermark there. What "now" is (the wall clock, or
     * the input's own progress) is the source plug's choice ({@code io.MaxAhead}). 0: no bound.
     */
    public DetectionSettings withMaxAhead(Duration d) {
        DetectionSettings s = copy();
        s.maxAheadMillis = d.toMillis();
        return s.check();
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

    /** SPEC 6.4b: the shortest prefix of an IPv4 range indicator that is kept (default 8). */
    public int broadestIpv4Range() {
        return broadestIpv4Range;
    }

    /** SPEC 6.4b: the shortest prefix of an IPv6 range indicator that is kept (default 32). */
    public int broadestIpv6Range() {
        return broadestIpv6Range;
    }

    /** How far ahead of "now" a row's version time may lie; 0: no bound. */
    public long maxAheadMillis() {
        return maxAheadMillis;
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
                + extraExcludedRanges
                + " broadest-ipv4-range=/"
                + broadestIpv4Range
                + " broadest-ipv6-range=/"
                + broadestIpv6Range
                + " max-ahead="
                + (maxAheadMillis == 0
                        ? "none"
                        : Durations.format(Duration.ofMillis(maxAheadMillis)));
    }
}
