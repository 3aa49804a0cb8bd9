package io.tiflink.vmconn.config;

import java.time.Duration;
import java.util.List;

/**
 * The options of the detection itself (SPEC's W, L, P, the out-of-orderness bound, emit mode,
 * exclusions, the broadest ranges), which every command takes. Defaults are {@link
 * DetectionSettings#defaults()}.
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

    public static final Option<Integer> BROADEST_IPV4_RANGE =
            Option.integer(
                    "broadest-ipv4-range",
                    D.broadestIpv4Range(),
                    "shortest prefix length of an IPv4 range indicator that is kept; a broader range"
                            + " is counted and skipped as too broad ("
                            + DetectionSettings.BROADEST_IPV4_RANGE_MIN
                            + " to "
                            + DetectionSettings.BROADEST_IPV4_RANGE_MAX
                            + ")");
    public static final Option<Integer> BROADEST_IPV6_RANGE =
            Option.integer(
                    "broadest-ipv6-range",
                    D.broadestIpv6Range(),
                    "shortest prefix length of an IPv6 range indicator that is kept; a broader range"
                            + " is counted and skipped as too broad ("
                            + DetectionSettings.BROADEST_IPV6_RANGE_MIN
                            + " to "
                            + DetectionSettings.BROADEST_IPV6_RANGE_MAX
                            + ")");

    /**
     * Poison event time. Not in {@link #ALL}: each command declares it, with the meaning of "now"
     * its input has. The Kafka job: ahead of the wall clock, 1 day by default.
     */
    public static final Option<Duration> MAX_AHEAD =
            Option.duration(
                    "max-ahead",
                    Duration.ofDays(1),
                    "a row whose TimeGenerated (a STIX object's modified) lies more than this ahead"
                            + " of the wall clock is a dead letter instead of moving its"
                            + " partition's watermark there (0 = no bound)");

    /**
     * The replay's {@link #MAX_AHEAD}: ahead of the greatest time read so far from the same file,
     * so that a replay gives the same result on any day. Off by default: a file cannot tell a feed
     * that was silent for days from a row from the future.
     */
    public static final Option<Duration> REPLAY_MAX_AHEAD =
            MAX_AHEAD
                    .withDefault(Duration.ZERO)
                    .withDescription(
                            "a row whose TimeGenerated (a STIX object's modified) lies more than"
                                    + " this ahead of the greatest time read so far from its file is"
                                    + " a dead letter (0 = no bound; with a bound, which rows are"
                                    + " dead letters depends on the order of the file: a gap in it"
                                    + " larger than the bound is believed at the 10th row in a row"
                                    + " beyond it, the 9 before are dead letters)");

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
                    EXCLUDE,
                    BROADEST_IPV4_RANGE,
                    BROADEST_IPV6_RANGE);

    /**
     * The detection settings a command line gives ({@link #MAX_AHEAD} when the command declares
     * it); IllegalArgumentException naming the option for a broadest range outside its span.
     */
    public static DetectionSettings settings(CommandLine line) {
        int v4 = line.get(BROADEST_IPV4_RANGE);
        int v6 = line.get(BROADEST_IPV6_RANGE);
        DetectionSettings.checkSpan(
                "--" + BROADEST_IPV4_RANGE.name(),
                v4,
                DetectionSettings.BROADEST_IPV4_RANGE_MIN,
                DetectionSettings.BROADEST_IPV4_RANGE_MAX);
        DetectionSettings.checkSpan(
                "--" + BROADEST_IPV6_RANGE.name(),
                v6,
                DetectionSettings.BROADEST_IPV6_RANGE_MIN,
                DetectionSettings.BROADEST_IPV6_RANGE_MAX);
        DetectionSettings s =
                line.declares(MAX_AHEAD)
                        ? DetectionSettings.defaults().withMaxAhead(line.get(MAX_AHEAD))
                        : DetectionSettings.defaults();
        return s.withWindow(line.get(WINDOW))
                .withLookback(line.get(LOOKBACK))
                .withIndicatorLookback(line.get(INDICATOR_LOOKBACK))
                .withOutOfOrderness(line.get(OUT_OF_ORDERNESS))
                .withIdleness(line.get(IDLENESS))
                .withAllowedLateness(line.get(ALLOWED_LATENESS))
                .withEmitMode(line.get(EMIT))
                .withExtraExcludedRanges(line.get(EXCLUDE))
                .withBroadestIpv4Range(v4)
                .withBroadestIpv6Range(v6);
    }
}
