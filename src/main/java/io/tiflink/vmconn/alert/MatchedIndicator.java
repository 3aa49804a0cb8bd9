package io.tiflink.vmconn.alert;

import io.tiflink.vmconn.model.Alert;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.EventTimes;
import io.tiflink.vmconn.model.Indicator;

/**
 * The indicator version of an alert as the OCSF and ECS alerts describe it: the matched target (an
 * address or a range, SPEC 6.4), its STIX object type, its confidence on the STIX 2.1 scale, its
 * expiry and the STIX pattern of the target.
 */
final class MatchedIndicator {

    /** A confidence on the "None / Low / Med / High" scale of STIX 2.1, Appendix A. */
    enum Confidence {
        /** No score, or one that is not a number from 0 to 100. */
        NOT_SPECIFIED,
        NONE,
        LOW,
        MEDIUM,
        HIGH
    }

    final Indicator version;

    /** TI_ipEntity: the canonical address or range the connection matched. */
    final String target;

    /** The target is a CIDR range, not one address. */
    final boolean range;

    /** The target is IPv6. */
    final boolean v6;

    MatchedIndicator(Alert a) {
        version = a.match.indicator;
        target = a.match.target != null ? a.match.target : version.ip;
        range = target != null && target.indexOf('/') >= 0;
        v6 = target != null && target.indexOf(':') >= 0;
    }

    /** The STIX cyber-observable type of the target: ipv4-addr or ipv6-addr (CIDR allowed). */
    String stixType() {
        return v6 ? "ipv6-addr" : "ipv4-addr";
    }

    /**
     * The STIX pattern of the target, for the ThreatIntelIndicators and STIX shapes (a legacy row
     * has none): rebuilt from the canonical target, since the received pattern is not kept in
     * state.
     */
    String pattern() {
        if (version.shape == Indicator.LEGACY || target == null) {
            return null;
        }
        return "[" + stixType() + ":value = '" + target + "']";
    }

    /** The score (ConfidenceScore, Confidence, confidence) when it reads as a number; else null. */
    Double score() {
        String t = version.confidenceScore == null ? null : version.confidenceScore.trim();
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(t);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The score as an integer, when it is a whole number from 0 to 100. */
    Integer wholeScore() {
        Double d = score();
        return d != null && d >= 0 && d <= 100 && d == Math.rint(d) ? (int) (double) d : null;
    }

    /** STIX 2.1 Appendix A: 0 None, 1-29 Low, 30-69 Med, 70-100 High. */
    Confidence confidence() {
        Double d = score();
        if (d == null || d < 0 || d > 100) {
            return Confidence.NOT_SPECIFIED;
        }
        if (d == 0) {
            return Confidence.NONE;
        }
        return d < 30 ? Confidence.LOW : d < 70 ? Confidence.MEDIUM : Confidence.HIGH;
    }

    /** The expiry: ExpirationDateTime (legacy), ValidUntil / valid_until when given; else null. */
    String expiration() {
        if (version.shape != Indicator.LEGACY && !version.hasValidUntil) {
            return null;
        }
        return EventTimes.format(version.expiration, version.expirationDigits);
    }

    /** The expiry in epoch milliseconds; null as {@link #expiration()}. */
    Long expirationMillis() {
        return expiration() == null ? null : EventTimes.toMillis(version.expiration);
    }

    /** ValidFrom / valid_from when given; else null. */
    String validFrom() {
        return version.validFrom == 0
                ? null
                : EventTimes.format(version.validFrom, version.validFromDigits);
    }

    /** The version's time: TimeGenerated (rows), modified or created (STIX). */
    String modified() {
        return EventTimes.format(version.timeGenerated, version.timeGeneratedDigits);
    }

    /** The table or format the indicator came from. */
    String source() {
        switch (version.shape) {
            case Indicator.TI_ROW:
                return "ThreatIntelIndicators";
            case Indicator.STIX:
                return "STIX 2.1 indicator";
            default:
                return "ThreatIntelligenceIndicator";
        }
    }

    /** One sentence: the host, the connection, the indicator (OCSF and ECS message). */
    String message(Connection c) {
        String direction = present(c.direction) ? c.direction.trim() + " " : "";
        return c.computer
                + ": "
                + direction
                + "connection with "
                + c.remoteIp
                + " matched threat indicator "
                + version.indicatorId
                + " ("
                + target
                + ")";
    }

    static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
