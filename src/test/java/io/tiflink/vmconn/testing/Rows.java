package io.tiflink.vmconn.testing;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;
import java.time.Duration;

/**
 * Test fixtures that read like the SPEC: "indicator ind-1 for 203.0.113.7 at 10:00", "connection to
 * 203.0.113.7 at 10:05". All times are on {@link #DAY} unless given in full.
 */
public final class Rows {

    public static final String DAY = "2026-11-27";
    public static final long MINUTE = Duration.ofMinutes(1).toNanos();
    public static final long HOUR = Duration.ofHours(1).toNanos();
    public static final long DAY_NANOS = Duration.ofDays(1).toNanos();

    private Rows() {}

    /** "10:15", "10:15:30.1234567" (on DAY) or a full ISO time. */
    public static long at(String time) {
        String iso =
                time.contains("T")
                        ? time
                        : DAY + "T" + (time.length() == 5 ? time + ":00" : time) + "Z";
        long n = EventTimes.parseNanos(iso);
        if (n == EventTimes.UNREADABLE) {
            throw new IllegalArgumentException(time);
        }
        return n;
    }

    public static long millis(String time) {
        return EventTimes.toMillis(at(time));
    }

    /**
     * An active legacy indicator version with NetworkIP = ip (an address, or a canonical range),
     * expiring 30 days after its time.
     */
    public static Indicator indicator(String id, String ip, String time) {
        Indicator i = new Indicator();
        i.indicatorId = id;
        i.timeGenerated = at(time);
        i.timeGeneratedDigits = EventTimes.fractionDigits(time);
        i.active = true;
        i.expiration = i.timeGenerated + 30 * DAY_NANOS;
        i.networkIp = ip;
        i.ip = ip.contains("/") ? ip : IpAddress.parse(ip).canonical(); // ranges: canonical given
        i.description = "desc of " + id;
        i.confidenceScore = "80";
        return i;
    }

    public static Indicator expiring(Indicator i, String time) {
        i.expiration = at(time);
        return i;
    }

    public static Indicator revoked(Indicator i) {
        i.active = false;
        return i;
    }

    public static Connection connection(String remoteIp, String time) {
        return connection(remoteIp, time, "vm1.contoso.com");
    }

    public static Connection connection(String remoteIp, String time, String computer) {
        Connection c = new Connection();
        c.timeGenerated = at(time);
        c.timeGeneratedDigits = EventTimes.fractionDigits(time);
        c.computer = computer;
        c.direction = "outbound";
        c.processName = "curl";
        c.sourceIp = "10.0.0.4";
        c.destinationIp = remoteIp;
        c.remoteIp = remoteIp;
        c.protocol = "tcp";
        c.destinationPort = "443";
        IpAddress ip = IpAddress.parse(remoteIp);
        c.ip = ip == null ? null : ip.canonical();
        return c;
    }

    /**
     * A ThreatIntelIndicators version (SPEC 6.2) of Id {@code id} for one target (an address or a
     * canonical range), active, without ValidFrom or ValidUntil.
     */
    public static Indicator tiRow(String id, String target, String time) {
        Indicator i = new Indicator();
        i.shape = Indicator.TI_ROW;
        i.indicatorId = id;
        i.timeGenerated = at(time);
        i.timeGeneratedDigits = EventTimes.fractionDigits(time);
        i.active = true;
        i.expiration = Long.MAX_VALUE;
        i.ip = target;
        i.networkSourceIp = target;
        i.description = "desc of " + id;
        i.activityGroupNames = "";
        i.confidenceScore = "70";
        return i;
    }

    /**
     * A STIX 2.1 indicator version (SPEC 6.3) of {@code id}, valid from its own time, without
     * valid_until, with these canonical targets (written as they are).
     */
    public static Indicator stix(String id, String time, String... targets) {
        Indicator i = new Indicator();
        i.shape = Indicator.STIX;
        i.indicatorId = id;
        i.timeGenerated = at(time);
        i.timeGeneratedDigits = EventTimes.fractionDigits(time);
        i.active = true;
        i.validFrom = i.timeGenerated;
        i.expiration = Long.MAX_VALUE;
        i.targets = targets.clone();
        i.targetsAsWritten = targets.clone();
        i.ip = targets[0];
        i.networkSourceIp = targets[0];
        i.description = "desc of " + id;
        i.activityGroupNames = "";
        i.confidenceScore = "60";
        return i;
    }

    /** The version valid from this instant on (SPEC 6.2d, 6.3d). */
    public static Indicator validFrom(Indicator i, String time) {
        i.validFrom = at(time);
        i.validFromDigits = EventTimes.fractionDigits(time);
        return i;
    }

    /** The version valid until this instant (ValidUntil / valid_until). */
    public static Indicator validUntil(Indicator i, String time) {
        i.hasValidUntil = true;
        i.expiration = at(time);
        i.expirationDigits = EventTimes.fractionDigits(time);
        return i;
    }
}
