package io.tiflink.vmconn.rows;

import io.tiflink.vmconn.config.DetectionSettings;
import io.tiflink.vmconn.ip.IpExclusions;
import io.tiflink.vmconn.ip.IpRange;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SPEC 1.2, 1.3 and 6.4a-b: the values an indicator names, turned into canonical targets (addresses
 * or ranges), or the reason none is usable.
 *
 * <p>Each value, surrounding white space ignored, in this order: parsed as an address or CIDR text
 * (neither: {@value IndicatorRows#NOT_AN_IP}); a range with a prefix shorter than the setting
 * ({@link DetectionSettings#broadestIpv4Range()}, {@link DetectionSettings#broadestIpv6Range()}) is
 * {@value IndicatorRows#RANGE_TOO_BROAD}; an address in the excluded ranges, or a range wholly
 * inside them ({@link IpExclusions#coversWholly}), is {@value IndicatorRows#EXCLUDED_IP}. Any other
 * range is kept: the matcher leaves out the excluded connection addresses in it itself.
 *
 * <p>Several values (a STIX pattern, SPEC 6.3c): one that is not an address or a range makes them
 * all unusable ({@value IndicatorRows#NOT_AN_IP}); too broad or excluded ones are dropped one by
 * one; when none is left, the reason is that of the first one dropped. The targets kept are
 * distinct canonical texts in the order of the values, each with its first spelling.
 */
final class TargetRules implements Serializable {

    private static final long serialVersionUID = 1L;

    private final IpExclusions exclusions;
    private final int broadestIpv4Range;
    private final int broadestIpv6Range;

    TargetRules(IpExclusions exclusions, int broadestIpv4Range, int broadestIpv6Range) {
        this.exclusions = exclusions;
        this.broadestIpv4Range = broadestIpv4Range;
        this.broadestIpv6Range = broadestIpv6Range;
    }

    /** The usable targets of some values, or the reason there is none. */
    static final class Targets {
        /** Null when there are targets. */
        final String reason;

        /** Distinct canonical targets, in the order of the values. */
        final String[] canonical;

        /** Each target's first spelling, as received. */
        final String[] asWritten;

        private Targets(String reason, String[] canonical, String[] asWritten) {
            this.reason = reason;
            this.canonical = canonical;
            this.asWritten = asWritten;
        }
    }

    /** No targets, for {@code reason}. */
    Targets none(String reason) {
        return new Targets(reason, null, null);
    }

    /** The targets of {@code values} (one or more), or the reason none is usable. */
    Targets resolve(List<String> values) {
        Map<String, String> kept = new LinkedHashMap<>();
        String firstDropped = null;
        for (String value : values) {
            IpRange range = IpRange.parseValue(value);
            if (range == null) {
                return none(IndicatorRows.NOT_AN_IP);
            }
            String reason = dropReason(range);
            if (reason != null) {
                firstDropped = firstDropped == null ? reason : firstDropped;
            } else {
                kept.putIfAbsent(range.canonicalTarget(), value);
            }
        }
        if (kept.isEmpty()) {
            return none(firstDropped);
        }
        List<String> canonical = new ArrayList<>(kept.keySet());
        List<String> asWritten = new ArrayList<>(kept.values());
        return new Targets(
                null, canonical.toArray(new String[0]), asWritten.toArray(new String[0]));
    }

    /** Too broad, then excluded (SPEC 6.4b); null when the target is kept. */
    private String dropReason(IpRange range) {
        if (range.isAddress()) {
            return exclusions.isExcluded(range.network()) ? IndicatorRows.EXCLUDED_IP : null;
        }
        int broadest = range.isV4() ? broadestIpv4Range : broadestIpv6Range;
        if (range.prefixLength() < broadest) {
            return IndicatorRows.RANGE_TOO_BROAD;
        }
        return exclusions.coversWholly(range) ? IndicatorRows.EXCLUDED_IP : null;
    }
}
