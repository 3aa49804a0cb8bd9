package io.tiflink.vmconn.model;

import java.util.Objects;

/**
 * One row of ThreatIntelligenceIndicator: one version of indicator {@code indicatorId}, observed at
 * {@code timeGenerated}. A POJO so that Flink serializes it without Kryo and savepoints can evolve
 * (add fields freely; never rename or retype one).
 */
public class Indicator {

    public String indicatorId;

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

    /** Canonical indicator IP (SPEC 1.1, 1.2); null until resolved. */
    public String ip;

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
                && Objects.equals(ip, that.ip);
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
                + ip
                + " active="
                + active
                + " exp="
                + EventTimes.format(expiration, expirationDigits)
                + '}';
    }
}
