package io.tiflink.vmconn.rows;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.io.RowParser;
import io.tiflink.vmconn.ip.IpExclusions;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import java.util.function.Consumer;

/**
 * Indicator rows (SPEC 1.1-1.4, 6.2b-c, 6.3b-c, 6.4a-b): legacy rows, ThreatIntelIndicators rows
 * and STIX indicator objects become the versions the matcher keeps ({@link IndicatorChecks}), each
 * with its canonical target; rows without one are counted by reason and are not versions at all.
 */
public class IndicatorRows extends RowRouter<Indicator> {

    private static final long serialVersionUID = 1L;

    /** No IP column, an IP ObservableKey with an empty value, or nothing to read an IP from. */
    public static final String NO_IP = "no_ip";

    /** A value that is neither an address nor a range (one such value in a pattern suffices). */
    public static final String NOT_AN_IP = "not_an_ip";

    /** An address in the excluded ranges, or a range wholly inside them. */
    public static final String EXCLUDED_IP = "excluded_ip";

    /** A range with a prefix shorter than the broadest-range setting. */
    public static final String RANGE_TOO_BROAD = "range_too_broad";

    /** An ObservableKey of another object type, or a pattern without an IP disjunct. */
    public static final String NOT_IP_TYPE = "not_ip_type";

    /** A pattern with an unsupported construct or a syntax error. */
    public static final String UNSUPPORTED_PATTERN = "unsupported_pattern";

    /** A STIX pattern_type other than "stix". */
    public static final String PATTERN_TYPE = "pattern_type";

    /** A STIX object of another type than indicator (counted by the parser: SPEC 6.1). */
    public static final String OTHER_STIX_TYPE = RowParser.OTHER_STIX_TYPE;

    private final IndicatorChecks checks;

    /** With the settings' exclusions and broadest ranges. */
    public IndicatorRows(DetectionSettings settings) {
        this(settings.exclusions(), settings.broadestIpv4Range(), settings.broadestIpv6Range());
    }

    /** With these exclusions and the default broadest ranges (/8 and /32). */
    public IndicatorRows(IpExclusions exclusions) {
        this(
                exclusions,
                DetectionSettings.DEFAULT_BROADEST_IPV4_RANGE,
                DetectionSettings.DEFAULT_BROADEST_IPV6_RANGE);
    }

    private IndicatorRows(IpExclusions exclusions, int broadestIpv4Range, int broadestIpv6Range) {
        this.checks =
                new IndicatorChecks(
                        new TargetRules(exclusions, broadestIpv4Range, broadestIpv6Range));
    }

    @Override
    String metricPrefix() {
        return "indicatorRows";
    }

    @Override
    void route(InputRecord record, Consumer<Indicator> usable) {
        String reason = checks.check(record.indicator, usable);
        if (reason != null) {
            skip(reason);
        }
    }
}
