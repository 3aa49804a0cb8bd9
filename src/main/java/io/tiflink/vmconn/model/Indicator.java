package io.tiflink.vmconn.model;

import java.util.Objects;

/**
 * One version of indicator {@code indicatorId}, observed at {@code timeGenerated}: a row of
 * ThreatIntelligenceIndicator (SPEC 1), a row of ThreatIntelIndicators (SPEC 6.2) or a STIX 2.1
 * indicator object (SPEC 6.3), as {@link #shape} says. A POJO so that Flink serializes it without
 * Kryo and savepoints can evolve (add fields freely; never rename or retype one). Fields added in
 * 1.2.0 read as 0, false or null in versions restored from 1.x, which is what a legacy row has.
 */
public class Indicator {

    /** {@link #shape}: a ThreatIntelligenceIndicator row (SPEC 1); every 1.x version. */
    public static final int LEGACY = 0;

    /** {@link #shape}: a ThreatIntelIndicators row (SPEC 6.2). */
    public static final int TI_ROW = 1;

    /** {@link #shape}: a STIX 2.1 indicator object (SPEC 6.3). */
    public static final int STIX = 2;

    /** IndicatorId (legacy), Id (ThreatIntelIndicators) or id (STIX): what alerts group by. */
    public String indicatorId;

    /** {@link #LEGACY}, {@link #TI_ROW} or {@link #STIX}. Since 1.2.0. */
    public int shape;

    /** Event time, nanoseconds since the epoch (SPEC: kept at input precision). */
    public long timeGenerated;

    public int timeGeneratedDigits;

    /** Missing or unreadable counts as false (SPEC 1.6). */
    public boolean active;

    /** Nanoseconds; {@link EventTimes#UNREADABLE} when missing or unreadable (already expired). */
    public long expiration = EventTimes.UNREADABLE;

    public int expirationDigits;
    public String description;
    public String activityGroupNames;
    public String threatType;
    public String url;

    /** As received; the alert writes it as a number when it reads as one. */
    public String confidenceScore;

    public String networkIp;
    public String networkDestinationIp;
    public String networkSourceIp;
    public String emailSourceIpAddress;

    /**
     * The canonical target (SPEC 1.1, 1.2, 6.4): an address, or a range as network/prefix; null
     * until resolved. For a STIX version, the first of {@link #targets}.
     */
    public String ip;

    /**
     * STIX (SPEC 6.3c): every canonical target of the version, distinct, in pattern order; null for
     * a single target ({@link #ip}). Since 1.2.0.
     */
    public String[] targets;

    /** STIX: each of {@link #targets} as written in the pattern (its first spelling). */
    public String[] targetsAsWritten;

    /**
     * ValidFrom / valid_from (SPEC 6.2d, 6.3d), nanoseconds: not live before it. 0 when absent (no
     * condition, as for every legacy row). Since 1.2.0.
     */
    public long validFrom;

    public int validFromDigits;

    /**
     * ThreatIntelIndicators and STIX: ValidUntil / valid_until was given, and {@link #expiration}
     * holds it; when absent {@link #expiration} is MAX_VALUE (never expires) and a STIX version
     * lives until its time + P instead (SPEC 6.3d). Since 1.2.0.
     */
    public boolean hasValidUntil;

    /**
     * On the way from a source to the row checks only (null in state): ThreatIntelIndicators'
     * ObservableKey (its ObservableValue is {@link #networkSourceIp}), the STIX pattern or the
     * row's Pattern, and STIX pattern_type.
     */
    public String observableKey;

    public String pattern;
    public String patternType;

    public Indicator() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Indicator)) return false;
        Indicator that = (Indicator) o;
        return timeGenerated == that.timeGenerated
                && timeGeneratedDigits == that.timeGeneratedDigits
                && active == that.active
                && expiration == that.expiration
                && expirationDigits == that.expirationDigits
                && Objects.equals(indicatorId, that.indicatorId)
                && Objects.equals(description, that.description)
                && Objects.equals(activityGroupNames, that.activityGroupNames)
                && Objects.equals(threatType, that.threatType)
                && Objects.equals(url, that.url)
                && Objects.equals(confidenceScore, that.confidenceScore)
                && Objects.equals(networkIp, that.networkIp)
                && Objects.equals(networkDestinationIp, that.networkDestinationIp)
                && Objects.equals(networkSourceIp, that.networkSourceIp)
                && Objects.equals(emailSourceIpAddress, that.emailSourceIpAddress)
                && Objects.equals(ip, that.ip)
                && shape == that.shape
                && validFrom == that.validFrom
                && validFromDigits == that.validFromDigits
                && hasValidUntil == that.hasValidUntil
                && java.util.Arrays.equals(targets, that.targets)
                && java.util.Arrays.equals(targetsAsWritten, that.targetsAsWritten)
                && Objects.equals(observableKey, that.observableKey)
                && Objects.equals(pattern, that.pattern)
                && Objects.equals(patternType, that.patternType);
    }

    /**
     * The key of the version's timeline (SPEC 1.5, 6.2c, 6.3c): IndicatorId for a legacy row, id
     * for a STIX object, (Id, target) for a ThreatIntelIndicators row.
     */
    public String timelineKey() {
        return shape == TI_ROW ? indicatorId + '\u0001' + ip : indicatorId;
    }

    /** The canonical targets: {@link #targets}, or {@link #ip} alone. */
    public String[] targetList() {
        return targets != null ? targets : ip == null ? new String[0] : new String[] {ip};
    }

    @Override
    public int hashCode() {
        return Objects.hash(indicatorId, timeGenerated, active, expiration, ip);
    }

    @Override
    public String toString() {
        return "Indicator{"
                + indicatorId
                + " @"
                + EventTimes.format(timeGenerated, timeGeneratedDigits)
                + " ip="
                + (targets != null ? java.util.Arrays.toString(targets) : ip)
                + " active="
                + active
                + " exp="
                + EventTimes.format(expiration, expirationDigits)
                + '}';
    }
}
