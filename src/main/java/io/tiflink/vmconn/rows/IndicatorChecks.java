package io.tiflink.vmconn.rows;

import static io.tiflink.vmconn.rows.IndicatorIps.isEmpty;

import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.rows.TargetRules.Targets;
import io.tiflink.vmconn.stix.IpComparison;
import io.tiflink.vmconn.stix.StixPattern;
import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;

/**
 * From one indicator row or object, as the parser read it, to the versions handed on (SPEC 1.4: a
 * row skipped here is no version at all), or the reason it is skipped. Every version handed on has
 * its canonical {@code ip}, and its raw {@code observableKey}, {@code pattern} and {@code
 * patternType} cleared, as it goes into broadcast state.
 *
 * <ul>
 *   <li>Legacy row (SPEC 1.1-1.3): the IP column ({@link IndicatorIps#pickColumn}, none: {@value
 *       IndicatorRows#NO_IP}), one target ({@link TargetRules}).
 *   <li>ThreatIntelIndicators row (SPEC 6.2b-c): with ObservableKey or ObservableValue not empty,
 *       the key's object type must be an IP type ({@value IndicatorRows#NOT_IP_TYPE}) and the value
 *       not empty ({@value IndicatorRows#NO_IP}): one version, the value its target. With both
 *       empty, the Pattern (empty too: {@value IndicatorRows#NO_IP}) read as for STIX: one version
 *       per distinct target, each a timeline (Id, target) of its own, its NetworkSourceIP the value
 *       as written in the pattern.
 *   <li>STIX indicator (SPEC 6.3a-c): {@code pattern_type} other than "stix" (absent counts as
 *       "stix") is {@value IndicatorRows#PATTERN_TYPE}; the pattern's targets make one version,
 *       {@code targets} in pattern order, {@code ip} and NetworkSourceIP the first.
 *   <li>A pattern with an unsupported construct or a syntax error is {@value
 *       IndicatorRows#UNSUPPORTED_PATTERN}; one without an IP disjunct {@value
 *       IndicatorRows#NOT_IP_TYPE}.
 * </ul>
 */
final class IndicatorChecks implements Serializable {

    private static final long serialVersionUID = 1L;

    private final TargetRules targetRules;

    IndicatorChecks(TargetRules targetRules) {
        this.targetRules = targetRules;
    }

    /** Hands each usable version of {@code row} on; returns null, or why there is none. */
    String check(Indicator row, Consumer<Indicator> usable) {
        switch (row.shape) {
            case Indicator.TI_ROW:
                return threatIntelRow(row, usable);
            case Indicator.STIX:
                return stixIndicator(row, usable);
            default:
                return legacyRow(row, usable);
        }
    }

    private String legacyRow(Indicator row, Consumer<Indicator> usable) {
        String column = IndicatorIps.pickColumn(row);
        if (column == null) {
            return IndicatorRows.NO_IP;
        }
        Targets targets = targetRules.resolve(List.of(column));
        if (targets.reason != null) {
            return targets.reason;
        }
        row.ip = targets.canonical[0];
        handOn(row, usable);
        return null;
    }

    private String threatIntelRow(Indicator row, Consumer<Indicator> usable) {
        if (!isEmpty(row.observableKey) || !isEmpty(row.networkSourceIp)) {
            if (!IndicatorIps.isIpKey(row.observableKey)) {
                return IndicatorRows.NOT_IP_TYPE;
            }
            if (isEmpty(row.networkSourceIp)) {
                return IndicatorRows.NO_IP;
            }
            Targets targets = targetRules.resolve(List.of(row.networkSourceIp));
            if (targets.reason != null) {
                return targets.reason;
            }
            row.ip = targets.canonical[0];
            handOn(row, usable);
            return null;
        }
        // Sentinel leaves the pair empty for a pattern it cannot split (SPEC 6.2b).
        if (isEmpty(row.pattern)) {
            return IndicatorRows.NO_IP;
        }
        Targets targets = patternTargets(row.pattern);
        if (targets.reason != null) {
            return targets.reason;
        }
        for (int k = 0; k < targets.canonical.length; k++) {
            Indicator version = copyOf(row);
            version.ip = targets.canonical[k];
            version.networkSourceIp = targets.asWritten[k];
            handOn(version, usable);
        }
        return null;
    }

    private String stixIndicator(Indicator object, Consumer<Indicator> usable) {
        if (object.patternType != null && !object.patternType.equals("stix")) {
            return IndicatorRows.PATTERN_TYPE;
        }
        Targets targets = patternTargets(object.pattern);
        if (targets.reason != null) {
            return targets.reason;
        }
        object.targets = targets.canonical;
        object.targetsAsWritten = targets.asWritten;
        object.ip = targets.canonical[0];
        object.networkSourceIp = targets.asWritten[0];
        handOn(object, usable);
        return null;
    }

    /** The targets of a STIX pattern's IP comparisons (SPEC 6.3b), or why there are none. */
    private Targets patternTargets(String pattern) {
        StixPattern read = StixPattern.read(pattern);
        switch (read.kind()) {
            case UNSUPPORTED:
                return targetRules.none(IndicatorRows.UNSUPPORTED_PATTERN);
            case NO_IP:
                return targetRules.none(IndicatorRows.NOT_IP_TYPE);
            default:
                return targetRules.resolve(
                        read.values().stream().map(IpComparison::value).toList());
        }
    }

    /** Clears the raw columns, used only on the way here, and hands the version on. */
    private static void handOn(Indicator version, Consumer<Indicator> usable) {
        version.observableKey = null;
        version.pattern = null;
        version.patternType = null;
        usable.accept(version);
    }

    /** A field-by-field copy (one per target of a ThreatIntelIndicators pattern row). */
    static Indicator copyOf(Indicator i) {
        Indicator c = new Indicator();
        c.indicatorId = i.indicatorId;
        c.shape = i.shape;
        c.timeGenerated = i.timeGenerated;
        c.timeGeneratedDigits = i.timeGeneratedDigits;
        c.active = i.active;
        c.expiration = i.expiration;
        c.expirationDigits = i.expirationDigits;
        c.description = i.description;
        c.activityGroupNames = i.activityGroupNames;
        c.threatType = i.threatType;
        c.url = i.url;
        c.confidenceScore = i.confidenceScore;
        c.networkIp = i.networkIp;
        c.networkDestinationIp = i.networkDestinationIp;
        c.networkSourceIp = i.networkSourceIp;
        c.emailSourceIpAddress = i.emailSourceIpAddress;
        c.ip = i.ip;
        c.targets = i.targets == null ? null : i.targets.clone();
        c.targetsAsWritten = i.targetsAsWritten == null ? null : i.targetsAsWritten.clone();
        c.validFrom = i.validFrom;
        c.validFromDigits = i.validFromDigits;
        c.hasValidUntil = i.hasValidUntil;
        c.observableKey = i.observableKey;
        c.pattern = i.pattern;
        c.patternType = i.patternType;
        return c;
    }
}
