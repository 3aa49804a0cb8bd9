package io.tiflink.vmconn.config;

import java.time.Duration;
import java.util.List;

/**
 * The options of the detection itself (SPEC's W, L, P, the out-of-orderness bound, emit mode,
 * exclusions), which every command takes. Defaults are {@link DetectionSettings#defaults()}.
 */
public final class DetectionOptions {

    private DetectionOptions() {}

    private static final DetectionSettings D = DetectionSettings.defaults();

    public static final Option<Duration> WINDOW =
            Option.duration(
                    "window",
                    Duration.ofMillis(D.windowMillis()),
                    "alert window W (the rule's queryFrequency), epoch-aligned");
    public static final Option<Duration> LOOKBACK =
            Option.duration(
                    "lookback",
                    Duration.ofMillis(D.lookbackMillis()),
                    "connection look-back L: an indicator arriving up to L after a connection still"
                            + " matches it");
    public static final Option<Duration> INDICATOR_LOOKBACK =
            Option.duration(
                    "indicator-lookback",
                    Duration.ofMillis(D.indicatorLookbackMillis()),
                    "indicator look-back P: a version older than P is no longer live");
    public static final Option<Duration> OUT_OF_ORDERNESS =
            Option.duration(
                    "out-of-orderness",
                    Duration.ofMillis(D.outOfOrdernessMillis()),
                    "how far behind its input's greatest TimeGenerated a row may arrive and still be"
                            + " on time");
    public static final Option<Duration> IDLENESS =
            Option.duration(
                    "idleness",
                    Duration.ofMillis(D.idlenessMillis()),
                    "an input silent this long stops holding back the watermark (0 = never)");
    public static final Option<Duration> ALLOWED_LATENESS =
            Option.duration(
                    "allowed-lateness",
                    Duration.ofMillis(D.allowedLatenessMillis()),
                    "how long after a window's end a late match still updates its alert"
                            + " (re-emitted, marked late)");
    public static final Option<EmitMode> EMIT =
            Option.choice(
                    "emit",
                    EmitMode.class,
                    D.emitMode(),
                    "final: one alert per group when its window ends; first: an alert on the"
                            + " group's first match");
    public static final Option<List<String>> EXCLUDE =
            Option.list(
                    "exclude",
                    List.of(),
                    "extra excluded IP ranges, CIDR, comma-separated (added to 10/8, 172.16/12,"
                            + " 192.168/16, 127/8, fe80::/10, ::/96, fc00::/7)");

    /** The detection options, in the order --help lists them. */
    public static final List<Option<?>> ALL =
            List.of(
                    WINDOW,
                    LOOKBACK,
                    INDICATOR_LOOKBACK,
                    OUT_OF_ORDERNESS,
                    IDLENESS,
                    ALLOWED_LATENESS,
                    EMIT,
                    EXCLUDE);

    /** The detection settings a command line gives. */
    public static DetectionSettings settings(CommandLine line) {
        return DetectionSettings.defaults()
                .withWindow(line.get(WINDOW))
                .withLookback(line.get(LOOKBACK))
                .withIndicatorLookback(line.get(INDICATOR_LOOKBACK))
                .withOutOfOrderness(line.get(OUT_OF_ORDERNESS))
                .withIdleness(line.get(IDLENESS))
                .withAllowedLateness(line.get(ALLOWED_LATENESS))
                .withEmitMode(line.get(EMIT))
                .withExtraExcludedRanges(line.get(EXCLUDE));
    }
}
